"""The page where the other guardian answers, in Chromium at 320 px, in both languages: no
WCAG A/AA violation, no sideways scrolling; reached from the message, answered by keyboard."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.conftest import token_for

from .steps import log_in
from .test_accessibility import Audit
from .test_phone import WIDTH

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
SARA, DAVID = "19920604-2823", "19900118-3376"


def asked_of_david(app: Flask) -> None:
    """Sara sends a new-baby case; its shared steps wait for David."""
    client = app.test_client()
    answers = client.get("/api/v1/life-events/new-baby").json["example_answers"]
    body = {"life_event": "new-baby", "answers": answers, "consent": True}
    response = client.post("/api/v1/cases", json=body, headers=token_for(client, SARA))
    assert response.status_code == 201, response.json


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_confirmation_page_at_320_px(app: Flask, page: Page, language: str) -> None:
    asked_of_david(app)
    page.set_viewport_size({"width": WIDTH, "height": 640})
    audit = Audit(page)
    log_in(page, DAVID)
    page.goto(f"/my-pages/messages?lang={language}")
    page.locator('#messages [data-kind="confirmation"] a').first.click()
    page.locator("main a.govuk-button").click()  # the message's action: to the question
    expect(page.locator("#held-steps li")).to_have_count(2)
    audit.check("the confirmation")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH

    page.locator("#answer button[type=submit]").click()  # no answer chosen: said what to fix
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit.check("the confirmation with its error")
    page.locator("#decision-confirm").focus()
    page.keyboard.press("Space")
    page.locator("#answer button[type=submit]").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#answered")).to_be_visible()
    audit.check("the confirmation answered")
    assert not audit.problems, "\n".join(audit.problems)

"""An offer from a register event in Chromium at 320 px, in both languages: no WCAG A/AA
violation, no sideways scrolling, its reason shown, and accepting it leads to the check page."""

from __future__ import annotations

import json
import re

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.conftest import token_for, wait_until
from tests.helpers.pages import forget_drafts

from .steps import log_in
from .test_accessibility import Audit
from .test_phone import WIDTH

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
SARA, DAVID = "19920604-2823", "19900118-3376"


def born(app: Flask) -> str:
    """A birth registered and acted on (here, not by a worker); the id of Sara's offer."""
    from contactpoint.cli import main
    from workflows import proactive

    result = app.test_cli_runner().invoke(
        main, ["sandbox", "register-event", "birth", "--parent", SARA, "--parent", DAVID]
    )
    event = json.loads(result.output)
    with app.app_context():
        proactive.consume(proactive.current(), event["id"])
    client = app.test_client()
    headers = token_for(client, SARA)

    def offer() -> str | None:
        for message in client.get("/api/v1/me/messages", headers=headers).json:
            answers = (message["action"] or {}).get("answers") or {}
            if answers.get("child") == event["personal_number"]:
                return str(message["id"])
        return None

    return str(wait_until(offer))


@pytest.mark.parametrize("language", ["sv", "en"])
def test_an_offer_at_320_px_and_accepted(app: Flask, page: Page, language: str) -> None:
    offer = born(app)
    try:
        page.set_viewport_size({"width": WIDTH, "height": 640})
        audit = Audit(page)
        log_in(page, SARA)
        page.goto(f"/my-pages/messages/{offer}?lang={language}")
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator(".kp-message-reason")).to_be_visible()
        audit.check("an offer")
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        page.locator("main form button.govuk-button").first.click()
        expect(page).to_have_url(re.compile(r".*/life-events/new-baby/check$"))
        audit.check("the offer's check page")
        assert not audit.problems, "\n".join(audit.problems)
    finally:
        forget_drafts(app, SARA)  # the journey after this one begins afresh

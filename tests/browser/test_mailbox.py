"""The mailbox's pages in Chromium at 320 px, in both languages: no WCAG A/AA violation, no
sideways scrolling, the unread count in the header, and a message read once opened."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.conftest import token_for

from .steps import log_in
from .test_accessibility import Audit
from .test_phone import WIDTH

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
KARIN = "19440225-3274"


def sent_with_a_deadline(app: Flask) -> None:
    """A bereavement case for Karin: its estate inventory's deadline is a reminder."""
    client = app.test_client()
    headers = token_for(client, KARIN)
    answers = client.get("/api/v1/life-events/bereavement").json["example_answers"]
    body = {"life_event": "bereavement", "answers": answers, "consent": True}
    response = client.post("/api/v1/cases", json=body, headers=headers)
    assert response.status_code == 201, response.json


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_mailbox_pages_at_320_px(app: Flask, page: Page, language: str) -> None:
    sent_with_a_deadline(app)
    page.set_viewport_size({"width": WIDTH, "height": 640})
    audit = Audit(page)
    log_in(page, KARIN)
    page.goto(f"/my-pages/messages?lang={language}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    unread = int(page.locator("#nav-messages .kp-count").get_attribute("data-unread") or 0)
    assert unread >= 1
    audit.check("messages")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH

    page.locator("#messages .kp-card--unread a").first.click()
    expect(page.locator("main h1")).to_be_visible()
    audit.check("a message")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    after = page.locator("#nav-messages .kp-count")
    if unread == 1:
        expect(after).to_have_count(0)
    else:
        expect(after).to_have_attribute("data-unread", str(unread - 1))
    assert not audit.problems, "\n".join(audit.problems)

"""The contact page (E-mail about new messages) in Chromium at 320 px, in both languages: no
WCAG A/AA violation, no sideways scrolling, reached from My pages, a bad address kept with
its error, a good one waiting for its link."""

from __future__ import annotations

import uuid

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from .steps import log_in
from .test_accessibility import Audit
from .test_phone import WIDTH

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
MAJA = "20150411-3893"


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_contact_page_at_320_px(app: Flask, page: Page, language: str) -> None:
    page.set_viewport_size({"width": WIDTH, "height": 640})
    audit = Audit(page)
    log_in(page, MAJA)
    page.goto(f"/my-pages?lang={language}")
    page.locator("#contact-link").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("main h1")).to_be_visible()
    audit.check("contact")

    page.locator("#email").fill("not an address")
    page.locator("main form").first.locator("[type=submit]").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator("#email")).to_have_value("not an address")
    audit.check("contact, a bad address")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH

    email = f"maja-{uuid.uuid4().hex[:16]}@example.se"
    page.locator("#email").fill(email)
    page.locator("main form").first.locator("[type=submit]").click()
    expect(page.locator("[data-said=sent]")).to_be_visible()
    expect(page.locator("[data-email]")).to_have_text(email)
    expect(page.locator("[data-status=unverified]")).to_be_visible()
    audit.check("contact, an address given")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    assert not audit.problems, "\n".join(audit.problems)

"""The finish in the browser: the phase banner, the pages about the service from the footer
in both languages, the icon, and an earlier answer offered under its question."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from .conftest import forget_drafts
from .steps import ANNA, continue_button, fill_in, log_in, start_journey
from .tour import SERVICE_PAGES, example_answers

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

HEADINGS = {
    "sv": ["Tillgänglighet", "Dina personuppgifter", "Kakor", "Kontakt", "Statistik"],
    "en": [
        "Accessibility of Kontaktpunkt",
        "Your personal data",
        "Cookies",
        "Contact",
        "Statistics",
    ],
}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_footer_leads_to_each_page_about_the_service(page: Page, language: str) -> None:
    page.goto(f"/?lang={language}")
    banner = page.locator(".govuk-phase-banner")
    expect(banner.locator(".govuk-tag")).to_have_text("Test")
    expect(banner).to_contain_text("testtjänst" if language == "sv" else "test service")
    for name, heading in zip(SERVICE_PAGES, HEADINGS[language], strict=True):
        page.locator(f"footer a[data-page='{name}']").click()
        expect(page.locator("h1")).to_have_text(heading)
        expect(page.locator("html")).to_have_attribute("lang", language)
    icon = page.request.get("/favicon.ico")
    assert icon.ok and icon.headers["content-type"].startswith("image/")


def test_an_earlier_answer_is_offered_under_its_question(app: Flask, page: Page) -> None:
    api = page.request
    token = api.post("/api/v1/dev/eid/token", data={"personal_number": ANNA}).json()
    answers = example_answers(page)
    earlier = api.post(
        "/api/v1/cases",
        data={"life_event": "moving", "answers": answers, "consent": True},
        headers={"Authorization": f"Bearer {token['access_token']}"},
    )
    assert earlier.status == 201, earlier.text()
    forget_drafts(app, ANNA)
    log_in(page)
    start_journey(page)
    for _ in range(20):
        if page.url.endswith("/questions/contact_phone"):
            break
        fill_in(page, answers)
        continue_button(page).click()
    expect(page).to_have_url(re.compile(r"/questions/contact_phone$"))
    offer = page.locator("[data-offer='contact_phone']")
    expect(offer).to_have_class(re.compile(r"govuk-inset-text"))
    above = page.evaluate(
        "() => document.querySelector('h1').compareDocumentPosition("
        "document.querySelector('[data-offer]')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    assert above, "the question's heading comes before the offer"
    offer.get_by_role("button", name=re.compile("Använd det igen")).click()
    expect(page).not_to_have_url(re.compile(r"/questions/contact_phone$"))
    page.goto(page.url.rsplit("/questions/", 1)[0] + "/questions/contact_phone")
    expect(page.locator("#contact_phone")).to_have_value(answers["contact_phone"])
    forget_drafts(app, ANNA)

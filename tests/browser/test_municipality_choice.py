"""The municipality choice: a select that narrows as one types, and a plain select without
JavaScript; the answer is the municipality's code either way."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from .conftest import forget_drafts
from .steps import ANNA, continue_button, log_in, start_journey

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def to_the_new_address(page: Page) -> None:
    start_journey(page)
    page.locator("#move_date").fill("2026-12-15")
    continue_button(page).click()
    expect(page.locator("#new_municipality")).to_be_visible()


def test_typing_narrows_the_list_to_the_municipality_meant(app: Flask, page: Page) -> None:
    forget_drafts(app, ANNA)
    log_in(page)
    to_the_new_address(page)
    choice = page.locator("#new_municipality")
    expect(choice.locator("option")).to_have_count(291)  # "Choose" and the 290
    page.locator("#new_municipality-filter").fill("kir")
    expect(choice.locator("option")).to_have_count(2)
    expect(choice).to_have_value("2584")  # Kiruna, the one left, is chosen
    expect(page.locator("#new_municipality-filter-status")).to_contain_text("1")
    page.locator("#new_municipality-filter").fill("")
    expect(choice.locator("option")).to_have_count(291)
    expect(choice).to_have_value("2584")  # the choice stays as the list grows back


def test_without_javascript_the_plain_select_answers_with_the_code(
    app: Flask, browser: Browser
) -> None:
    forget_drafts(app, ANNA)
    context = browser.new_context(base_url=app.config["LIVE_SERVER_URL"], java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page)
        to_the_new_address(page)
        expect(page.locator("#new_municipality-filter")).to_have_count(0)
        page.locator("#new_street").fill("Storgatan 12")
        page.locator("#new_postal_code").fill("981 31")
        page.locator("#new_municipality").select_option(label="Kiruna")
        continue_button(page).click()
        expect(page.locator(".govuk-error-summary")).to_have_count(0)
    finally:
        context.close()

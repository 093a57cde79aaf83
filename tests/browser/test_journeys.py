"""The moving journey in a real browser: to done, an error corrected, a language switch, no JS."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from .conftest import forget_drafts
from .steps import (
    ANNA,
    answer_all_questions,
    answers_without_manual_steps,
    consent_and_send,
    continue_button,
    log_in,
    start_journey,
    wait_until_done,
)

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def example_answers(page: Page) -> dict[str, Any]:
    response = page.request.get("/api/v1/life-events/moving")
    assert response.ok
    answers: dict[str, Any] = response.json()["example_answers"]
    return answers


def test_a_citizen_moves_from_login_to_done_on_my_pages(app: Flask, page: Page) -> None:
    forget_drafts(app, ANNA)
    log_in(page)
    start_journey(page)
    answer_all_questions(page, answers_without_manual_steps(example_answers(page)))
    expect(page.locator("h1")).to_have_text("Kontrollera dina svar")
    case_url = consent_and_send(page)
    expect(page.locator(".govuk-panel")).to_contain_text("Ditt referensnummer")
    reference = page.locator(".panel__reference").inner_text().strip()
    wait_until_done(page)
    expect(page.locator(".case-status")).to_contain_text("Klart")

    page.goto("/my-pages")
    card = page.locator(
        ".kp-card", has=page.locator(f"a[href$='{case_url.split('/')[-1].split('?')[0]}']")
    )
    expect(card).to_contain_text(reference)
    expect(card).to_contain_text("Klart")


def test_start_now_signed_out_lands_on_the_journey_after_signing_in(app: Flask, page: Page) -> None:
    forget_drafts(app, ANNA)
    page.goto("/")
    page.get_by_role("link", name="Flytta").first.click()
    page.get_by_role("button", name="Börja nu").click()
    expect(page).to_have_url(re.compile(r"/dev-idp/authorize\?"))  # the eID provider's page

    page.get_by_label("Personnummer").fill(ANNA)
    page.locator("main form").first.locator("[type=submit]").first.click()  # not "Cancel"
    expect(page).to_have_url(re.compile(r"/life-events/moving/questions/move_date$"))
    expect(page.locator("#move_date")).to_be_visible()


def test_a_missing_answer_is_shown_linked_and_corrected(app: Flask, page: Page) -> None:
    forget_drafts(app, ANNA)
    log_in(page)
    start_journey(page)
    continue_button(page).click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Fel: "))
    link = summary.locator("a").first
    target = link.get_attribute("href")
    assert target and target.startswith("#")
    link.click()
    expect(page.locator(target)).to_be_focused()
    expect(page.locator(".govuk-error-message").first).to_be_visible()

    page.locator(target).fill("2026-12-15")
    continue_button(page).click()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/questions/(?!move_date)"))


def test_switching_language_mid_journey_keeps_the_place(app: Flask, page: Page) -> None:
    forget_drafts(app, ANNA)
    log_in(page)
    start_journey(page)
    page.locator("#move_date").fill("2026-12-15")
    continue_button(page).click()
    question_url = page.url
    expect(page.locator("html")).to_have_attribute("lang", "sv")

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(re.escape(question_url.split("?")[0]) + r"\?lang=en"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main")).to_contain_text("Street address")
    expect(continue_button(page)).to_have_text("Continue")

    page.get_by_role("link", name="Back").click()
    expect(page.locator("#move_date")).to_have_value("2026-12-15")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("link", name="Svenska").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator("main")).to_contain_text("Vilket datum flyttar du?")


def test_the_whole_journey_works_without_javascript(app: Flask, browser: Browser) -> None:
    forget_drafts(app, ANNA)
    context = browser.new_context(base_url=app.config["LIVE_SERVER_URL"], java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        log_in(page)
        start_journey(page)
        answer_all_questions(page, answers_without_manual_steps(example_answers(page)))
        consent_and_send(page)
        wait_until_done(page, javascript=False)
        expect(page.locator(".case-status")).to_contain_text("Klart")
    finally:
        context.close()

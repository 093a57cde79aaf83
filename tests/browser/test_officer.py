"""A case officer decides a citizen's step; the citizen sees the case finish."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from .conftest import forget_drafts
from .steps import ANNA, answer_all_questions, consent_and_send, log_in, start_journey

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

MANUAL_STEP = "housing-allowance"
MANUAL_AGENCY = "forsakringskassan"


def test_a_case_officer_approves_and_the_citizen_sees_it(
    app: Flask, browser: Browser, page: Page
) -> None:
    if "officer_step.decide" not in app.view_functions:
        pytest.skip("the case officers' pages are not part of the app")
    forget_drafts(app, ANNA)
    log_in(page)
    start_journey(page)
    answers: dict[str, Any] = page.request.get("/api/v1/life-events/moving").json()[
        "example_answers"
    ]
    answer_all_questions(page, {**answers, "housing_allowance": True})
    consent_and_send(page)
    reference = page.locator(".panel__reference").inner_text().strip()
    manual = page.locator(f"[data-step='{MANUAL_STEP}']")
    expect(manual).to_have_attribute("data-status", "waiting", timeout=60_000)

    staff = browser.new_context(base_url=app.config["LIVE_SERVER_URL"])
    staff.set_default_timeout(15_000)
    officer = staff.new_page()
    try:
        officer.goto("/officer/login")
        officer.locator(f"#agency-{MANUAL_AGENCY} ~ ul button[type=submit]").first.click()
        expect(officer).to_have_url(re.compile(r"/officer"))
        officer.locator("#reference").fill(reference)
        officer.locator("form.kp-filters [type=submit]").click()
        officer.locator("tr[data-step] a").first.click()
        expect(officer).to_have_url(re.compile(r"/officer/steps/"))
        officer.locator("#decision-approve").check()
        officer.locator("form[action$='/decision'] [type=submit]").click()
        expect(officer.locator("form[action$='/decision']")).to_have_count(0)
    finally:
        staff.close()

    expect(page.locator(".case-status")).to_have_attribute("data-status", "done", timeout=60_000)
    expect(manual).to_have_attribute("data-status", "done")

"""axe-core on every citizen page, error states included, in Swedish and in English."""

from __future__ import annotations

import re
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Page, expect

from tests.conftest import wait_until

from .conftest import forget_drafts
from .steps import ANNA, continue_button, fill_in, log_in, start_journey

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE = Axe()


class Audit:
    """Runs axe on each page visited and keeps what it found, by page."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.checked: list[str] = []
        self.problems: list[str] = []

    def check(self, name: str) -> None:
        """Check the page as it is now."""
        options = {"runOnly": {"type": "tag", "values": WCAG_A_AA}, "resultTypes": ["violations"]}
        results = AXE.run(self.page, options=options)
        self.checked.append(name)
        for violation in results.response["violations"]:
            targets = [", ".join(node["target"]) for node in violation["nodes"]][:5]
            self.problems.append(
                f"{name} ({self.page.url}): {violation['id']} [{violation['impact']}] "
                f"{violation['help']}: {targets}"
            )


def example_answers(page: Page) -> dict[str, Any]:
    response = page.request.get("/api/v1/life-events/moving")
    answers: dict[str, Any] = response.json()["example_answers"]
    return answers


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_page_has_no_wcag_a_or_aa_violations(app: Flask, page: Page, language: str) -> None:
    forget_drafts(app, ANNA)
    audit = Audit(page)
    page.goto(f"/?lang={language}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    audit.check("start page")
    events = page.locator("main a[href^='/life-events/']")
    for href in [events.nth(i).get_attribute("href") for i in range(events.count())]:
        page.goto(str(href))
        audit.check(f"life event start {href}")
    page.goto("/no-such-page")
    audit.check("page not found")

    page.goto("/login")
    audit.check("log in")
    page.locator("#personal_number").fill("1234")
    page.locator("main form").first.locator("[type=submit]").first.click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit.check("log in, error")
    log_in(page)
    audit.check("my pages")

    start_journey(page)
    continue_button(page).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit.check("question, error")
    answers = example_answers(page)
    for _ in range(30):
        if re.search(r"/check$", page.url):
            break
        audit.check(f"question {page.url.rsplit('/', 1)[-1]}")
        fill_in(page, answers)
        continue_button(page).click()
    expect(page).to_have_url(re.compile(r"/check$"))
    audit.check("check your answers")
    continue_button(page).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit.check("check your answers, no consent")
    page.locator("#consent").check()
    continue_button(page).click()
    expect(page).to_have_url(re.compile(r"/my-pages/cases/"))
    audit.check("confirmation")
    page.goto(page.url.split("?")[0])
    audit.check("case page")
    case_url = page.url
    page.goto("/my-pages")
    audit.check("my pages with a case")
    for endpoint, path, name in (
        ("data.shares", "/my-pages/data-shares", "who has my data"),
        ("case_actions.withdraw", f"{case_url}/withdraw", "withdraw a case"),
        ("feedback.give", f"{case_url}/feedback", "feedback"),
    ):
        if endpoint in app.view_functions:
            page.goto(path)
            audit.check(name)

    assert len(audit.checked) >= 12
    assert not audit.problems, "\n".join(audit.problems)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_case_officers_pages_have_no_wcag_a_or_aa_violations(
    app: Flask, page: Page, language: str
) -> None:
    if "officer_step.decide" not in app.view_functions:
        pytest.skip("the case officers' pages are not part of the app")
    token = page.request.post("/api/v1/dev/eid/token", data={"personal_number": ANNA})
    answers = {**example_answers(page), "housing_allowance": True}
    created = page.request.post(
        "/api/v1/cases",
        data={"life_event": "moving", "answers": answers, "consent": True},
        headers={"Authorization": f"Bearer {token.json()['access_token']}"},
    )
    assert created.status == 201, created.text()
    reference = created.json()["reference"]
    audit = Audit(page)
    page.goto(f"/officer/login?lang={language}")
    audit.check("officer log in")
    page.locator("#agency-forsakringskassan ~ ul button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/officer"))
    audit.check("inbox")
    page.locator("#reference").fill(reference)
    page.locator("form.filters [type=submit]").click()
    link = page.locator("tr[data-step] a").first

    def listed() -> bool:
        if link.count():
            return True
        page.reload()  # the step reaches the agency's inbox once the worker has sent it
        return False

    wait_until(listed, timeout_s=60, interval_s=0.5)
    link.click()
    expect(page).to_have_url(re.compile(r"/officer/steps/"))
    audit.check("step")
    page.locator("form[action$='/decision'] [type=submit]").click()
    audit.check("step, decision missing")
    if "officer_audit.trail" in app.view_functions:
        page.goto("/officer/audit")
        audit.check("audit trail")
    assert not audit.problems, "\n".join(audit.problems)

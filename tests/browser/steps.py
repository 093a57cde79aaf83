"""What a citizen does in the browser, written once for the journeys and the checks."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.helpers.pages import page_choice

ANNA = "19850312-2387"
DONE_TIMEOUT_MS = 60_000


def answers_without_manual_steps(example: dict[str, Any]) -> dict[str, Any]:
    """The life event's example answers, changed so that no case officer needs to act."""
    return {**example, "housing_allowance": False}


def form_value(value: Any) -> str:
    """An answer as the form sends it."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(page_choice(value))


def log_in(page: Page, personal_number: str = ANNA) -> None:
    """Sign in through the simulated eID provider by typing the personal identity number."""
    page.goto("/login")
    page.locator("#personal_number").fill(personal_number)
    page.locator("main form").first.locator("[type=submit]").first.click()  # not "Cancel"
    expect(page).to_have_url(re.compile(r"/my-pages"))


def fields_on_page(page: Page) -> list[str]:
    """The names of the answer fields in the page's form, in order."""
    names: list[str] = page.eval_on_selector_all(
        "main form[method=post] [name]",
        "els => [...new Set(els.map(e => e.name))].filter(n => n && n !== 'csrf_token')",
    )
    return names


def answer_for(answers: dict[str, Any], name: str) -> Any:
    """The answer a field takes; `address.street` is a part of the `address` answer."""
    question, _, part = name.partition(".")
    value = answers.get(question)
    if part:
        return value.get(part) if isinstance(value, dict) else None
    return value


def fill_in(page: Page, answers: dict[str, Any]) -> None:
    """Answer the questions on the page with the mouse and the keyboard's typing."""
    for name in fields_on_page(page):
        value = answer_for(answers, name)
        if value is None:
            continue
        inputs = page.locator(f"main form [name='{name}']")
        kind = inputs.first.get_attribute("type")
        if kind == "radio":
            value = page_choice(value, page.content())  # a person: by the page's key
            page.locator(f"input[name='{name}'][value='{form_value(value)}']").check()
        elif kind == "checkbox":
            for item in value if isinstance(value, list) else [value]:
                page.locator(f"input[name='{name}'][value='{form_value(item)}']").check()
        elif inputs.first.evaluate("e => e.tagName") == "SELECT":
            inputs.first.select_option(form_value(value))
        else:
            inputs.first.fill(form_value(value))


def continue_button(page: Page) -> Any:
    """The form's own submit button (not the header's log-out button)."""
    return page.locator("main form[method=post] [type=submit]").last


def answer_all_questions(page: Page, answers: dict[str, Any]) -> None:
    """Answer page after page until the check-your-answers page."""
    for _ in range(30):
        if re.search(r"/check$", page.url):
            return
        fill_in(page, answers)
        continue_button(page).click()
        page.wait_for_load_state()
        expect(page.locator(".govuk-error-summary")).to_have_count(0)
    raise AssertionError("the journey never reached the check-your-answers page")


def start_journey(page: Page, event_id: str = "moving") -> None:
    """Open a life event's start page and press Start now."""
    page.goto(f"/life-events/{event_id}")
    page.locator("main form[method=post] [type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/life-events/{event_id}/questions/"))


def consent_and_send(page: Page) -> str:
    """Agree on the check page and send; return the case page's URL."""
    page.locator("#consent").check()
    continue_button(page).click()
    expect(page).to_have_url(re.compile(r"/my-pages/cases/"))
    return page.url


def wait_until_done(page: Page, javascript: bool = True) -> None:
    """Wait for the case to finish: the page refreshes itself, or is reloaded without JS."""
    status = page.locator(".case-status")
    if javascript:
        expect(status).to_have_attribute("data-status", "done", timeout=DONE_TIMEOUT_MS)
        return
    from tests.conftest import wait_until

    def done() -> bool:
        page.reload()
        return status.get_attribute("data-status") == "done"

    wait_until(done, timeout_s=DONE_TIMEOUT_MS / 1000, interval_s=0.5)

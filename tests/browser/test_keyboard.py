"""The whole moving journey with the keyboard alone, and focus always visible."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from .conftest import forget_drafts
from .steps import ANNA, answer_for, answers_without_manual_steps, fields_on_page, form_value

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

MAX_TABS = 80
# Focus shows in the focus colour: an outline, a background or a ring (a radio's or a
# checkbox's ring is drawn on its label).
FOCUS_SHOWN = """el => {
  const yellow = 'rgb(255, 221, 0)';
  const shows = s => [s.outlineColor, s.backgroundColor, s.boxShadow]
    .some(v => v && v.includes(yellow));
  if (el.type === 'radio' || el.type === 'checkbox') {
    const label = el.labels && el.labels[0];
    return !!label && shows(getComputedStyle(label, '::before'));
  }
  return shows(getComputedStyle(el));
}"""


def focused(page: Page, script: str) -> Any:
    return page.evaluate(f"(() => {{ const el = document.activeElement; return {script}; }})()")


def tab_to(page: Page, matches: str, backwards: bool = False) -> None:
    """Press Tab until the focused element matches the CSS selector; its focus must show."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if focused(page, f"el && el.matches({matches!r})"):
            assert page.evaluate_handle("document.activeElement").evaluate(FOCUS_SHOWN), (
                f"no visible focus on {matches}"
            )
            return
    raise AssertionError(f"Tab never reached {matches}")


def press_and_wait(page: Page, key: str = "Enter") -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def answer_with_keys(page: Page, answers: dict[str, Any]) -> None:
    """Answer every question on the page by Tab, arrows, Space and typing."""
    for name in fields_on_page(page):
        value = answer_for(answers, name)
        if value is None:
            continue
        field = page.locator(f"main form [name='{name}']").first
        kind = field.get_attribute("type")
        if kind == "radio":
            wanted = form_value(value)
            tab_to(page, f"input[name='{name}']")
            page.keyboard.press("Space")
            for _ in range(20):
                if focused(page, "el.value") == wanted:
                    break
                page.keyboard.press("ArrowDown")
            assert page.locator(f"input[name='{name}'][value='{wanted}']").is_checked()
        elif kind == "checkbox":
            for item in value if isinstance(value, list) else [value]:
                tab_to(page, f"input[name='{name}'][value='{form_value(item)}']")
                if not focused(page, "el.checked"):
                    page.keyboard.press("Space")
        elif field.evaluate("e => e.tagName") == "SELECT":  # a municipality: typed in its filter
            label = field.locator(f"option[value='{form_value(value)}']").inner_text()
            tab_to(page, f"#{name}-filter")
            page.keyboard.type(label)
            expect(field).to_have_value(form_value(value))
        else:
            tab_to(page, f"[name='{name}']")
            page.keyboard.press("Control+A")
            page.keyboard.type(form_value(value))
    tab_to(page, "main form[method=post] [type=submit]")
    press_and_wait(page)


def test_the_moving_journey_by_keyboard_alone(app: Flask, page: Page) -> None:
    forget_drafts(app, ANNA)
    response = page.request.get("/api/v1/life-events/moving")
    answers = answers_without_manual_steps(response.json()["example_answers"])
    page.goto("/")

    page.keyboard.press("Tab")
    skip = page.locator(".skip-link, .govuk-skip-link").first
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()

    tab_to(page, "header a[href^='/login']")
    press_and_wait(page)
    tab_to(page, "#personal_number")
    page.keyboard.type(ANNA)
    press_and_wait(page)
    expect(page).to_have_url(re.compile(r"/my-pages"))

    tab_to(page, "header a[href='/']")
    press_and_wait(page)
    tab_to(page, "main a[href='/life-events/moving']")
    press_and_wait(page)
    tab_to(page, "main form[method=post] [type=submit]")
    press_and_wait(page)

    for _ in range(30):
        if page.url.endswith("/check"):
            break
        answer_with_keys(page, answers)
        expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/check$"))

    tab_to(page, "#consent")
    page.keyboard.press("Space")
    expect(page.locator("#consent")).to_be_checked()
    tab_to(page, "main form[method=post] [type=submit]")
    press_and_wait(page)
    expect(page).to_have_url(re.compile(r"/my-pages/cases/"))
    expect(page.locator(".case-status")).to_have_attribute("data-status", "done", timeout=60_000)

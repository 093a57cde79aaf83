"""On a narrow phone (320 CSS pixels, WCAG 1.4.10 reflow) the pages need no sideways scrolling."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from .conftest import forget_drafts
from .steps import ANNA, continue_button, log_in, start_journey

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def fits(page: Page, name: str) -> str | None:
    return None if page.evaluate(NO_SIDEWAYS_SCROLL) else f"{name} ({page.url})"


def test_the_citizen_pages_reflow_on_a_narrow_phone(app: Flask, browser: Browser) -> None:
    forget_drafts(app, ANNA)
    context = browser.new_context(
        base_url=app.config["LIVE_SERVER_URL"], viewport={"width": 320, "height": 640}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        wide: list[str | None] = []
        page.goto("/?lang=en")
        wide.append(fits(page, "start page"))
        page.goto("/life-events/moving")
        wide.append(fits(page, "life event start"))
        page.locator(".govuk-service-navigation__toggle").click()
        expect(page.get_by_role("link", name="Svenska")).to_be_visible()
        log_in(page)
        wide.append(fits(page, "my pages"))
        start_journey(page)
        continue_button(page).click()
        expect(page).to_have_title(re.compile(r"^Error: "))
        wide.append(fits(page, "question with an error"))
        assert not [name for name in wide if name], wide
    finally:
        context.close()

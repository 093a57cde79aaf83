"""In the browser: a page of several questions is headed by its own title, a date field says
how to write a date, and the postcode field is as narrow as a postcode."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from .conftest import forget_drafts
from .steps import ANNA, continue_button, fill_in, log_in, start_journey
from .tour import example_answers

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

SARA = "19920604-2823"


def answer_until(page: Page, answers: dict[str, object], page_key: str) -> None:
    for _ in range(20):
        if page.url.endswith(f"/questions/{page_key}"):
            return
        fill_in(page, answers)
        continue_button(page).click()
        expect(page.locator(".govuk-error-summary")).to_have_count(0)
    raise AssertionError(f"never reached {page_key}")


def test_the_parental_benefit_page_has_its_own_heading_and_a_date_hint(
    app: Flask, page: Page
) -> None:
    forget_drafts(app, SARA)
    log_in(page, SARA)
    start_journey(page, "new-baby")
    answer_until(page, example_answers(page, "new-baby"), "parental_benefit_plan")
    expect(page.locator("h1")).to_have_text("Din föräldrapenning")
    expect(page).to_have_title(re.compile(r"^Din föräldrapenning"))
    expect(
        page.get_by_label("Från vilket datum vill du ha föräldrapenning?")
    ).to_have_accessible_description(re.compile(r"år, månad och dag, till exempel 2027-03-14"))
    forget_drafts(app, SARA)


def test_the_new_address_page_has_its_heading_and_a_narrow_postcode(app: Flask, page: Page) -> None:
    forget_drafts(app, ANNA)
    log_in(page)
    start_journey(page)
    answer_until(page, example_answers(page), "new_address")
    expect(page.locator("h1")).to_have_text("Din nya adress")
    postcode = page.locator("#new_postal_code").bounding_box()
    street = page.locator("#new_street").bounding_box()
    assert postcode and street and postcode["width"] * 3 < street["width"], (postcode, street)
    forget_drafts(app, ANNA)

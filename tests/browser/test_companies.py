"""The company's My pages in Chromium, in both languages: no WCAG A/AA violation; a joint
signatory sees the company's cases, who sent each and on what basis; a power of attorney's
form keeps what was typed and says what to fix; a person with no right is refused."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.helpers.business import hire_for

from .steps import log_in
from .test_accessibility import Audit
from .test_phone import WIDTH

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
LENA, AMIRA, KARIN = "19780923-1249", "19950530-3462", "19440225-3274"
COMPANY = "556612-3450"


def sent_by_amira(app: Flask) -> None:
    """A case for the company, sent by the holder of its power of attorney."""
    response = hire_for(app.test_client(), AMIRA, COMPANY)
    assert response.status_code == 201, response.json


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_company_pages_at_320_px(app: Flask, page: Page, language: str) -> None:
    sent_by_amira(app)
    page.set_viewport_size({"width": WIDTH, "height": 640})
    audit = Audit(page)
    log_in(page, LENA)
    page.goto(f"/my-pages?lang={language}")
    page.locator("#companies-link").click()
    expect(page.locator(f'[data-organisation="{COMPANY}"]')).to_be_visible()
    audit.check("companies")
    page.locator(f'[data-organisation="{COMPANY}"] a').click()
    expect(page.locator("#standing")).to_have_attribute("data-basis", "joint_signatory")
    expect(page.locator('#company-cases [data-made-by="power_of_attorney"]').first).to_be_visible()
    expect(page.locator("#powers-table [data-state=in_force]").first).to_be_visible()
    audit.check("a company")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH

    page.locator("#holder").fill("1995053")
    page.locator("#grant [type=submit]").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator("#holder")).to_have_value("1995053")
    expect(page.locator("#life_events-error")).to_have_count(0)  # said once the number is right
    audit.check("a power of attorney with mistakes")
    assert not audit.problems, "\n".join(audit.problems)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_person_with_no_right_is_refused_the_company_page(page: Page, language: str) -> None:
    audit = Audit(page)
    log_in(page, KARIN)
    response = page.goto(f"/my-pages/companies/{COMPANY}?lang={language}")
    assert response is not None and response.status == 403
    expect(page.locator("#refusal")).to_contain_text("Ekström & Lund Bygg AB")
    expect(page.locator("#company-cases")).to_have_count(0)
    page.goto(f"/my-pages/companies?lang={language}")
    expect(page.locator("#no-companies")).to_be_visible()
    audit.check("refused")
    assert not audit.problems, "\n".join(audit.problems)

"""The "who moves with you" page in Chromium: the household by first name and year of birth,
"no one, only me" standing alone, an error that says how to fix it, axe (WCAG A and AA), a
320 px phone without sideways scrolling, in both languages; no personal number in the page."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from .conftest import forget_drafts
from .steps import ANNA, continue_button, log_in
from .test_accessibility import Audit
from .test_phone import Reflow, phone  # noqa: F401 (the phone's narrow page, a fixture)

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
NUMBERS = ("19850312", "19870715", "20150411", "20191102")


@pytest.mark.parametrize(
    ("language", "maja", "alone", "fix"),
    [
        ("sv", "Maja, född 2015 (barn)", "Ingen, bara jag", "Välj antingen"),
        ("en", "Maja, born 2015 (child)", "No one, only me", "Choose either"),
    ],
)
def test_who_moves_with_you_on_a_phone(
    app: Flask, request: pytest.FixtureRequest, language: str, maja: str, alone: str, fix: str
) -> None:
    page: Page = request.getfixturevalue("phone")  # test_phone's 320 px page
    forget_drafts(app, ANNA)
    log_in(page)
    page.goto(f"/life-events/moving?lang={language}")
    page.locator("main form[method=post] [type=submit]").click()
    page.goto(f"/life-events/moving/questions/moving_along?lang={language}")
    expect(page.locator("main h1")).to_have_count(1)
    expect(page.get_by_label(maja)).to_be_visible()
    html = page.content()
    assert not [number for number in NUMBERS if number in html]
    audit, reflow = Audit(page), Reflow(page)
    audit.check("who moves with you")
    reflow.check("who moves with you")

    page.get_by_label(maja).check()
    page.get_by_label(alone).check()  # the script unticks the others: it stands alone
    expect(page.get_by_label(maja)).not_to_be_checked()
    page.get_by_label(maja).check()
    expect(page.get_by_label(alone)).not_to_be_checked()

    page.evaluate(  # as a browser without the script would send both
        "() => document.querySelectorAll('input[name=moving_along]').forEach(i => i.checked = true)"
    )
    continue_button(page).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(fix)
    audit.check("who moves with you, with an error")
    reflow.check("who moves with you, with an error")
    assert not audit.problems, "\n".join(audit.problems)
    assert not reflow.wide, "\n".join(reflow.wide)

    page.get_by_label(alone).uncheck()
    for other in page.locator("input[name=moving_along]").all():
        other.uncheck()
    page.get_by_label(maja).check()
    continue_button(page).click()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)

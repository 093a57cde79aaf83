"""axe-core on every page (tour.py), error states included, in Swedish and in English."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Page

from .tour import citizen_tour, officer_tour

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


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_page_has_no_wcag_a_or_aa_violations(app: Flask, page: Page, language: str) -> None:
    audit = Audit(page)
    citizen_tour(app, page, language, audit.check)
    assert len(audit.checked) >= 12
    assert not audit.problems, "\n".join(audit.problems)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_case_officers_pages_have_no_wcag_a_or_aa_violations(
    app: Flask, page: Page, language: str
) -> None:
    if "officer_step.decide" not in app.view_functions:
        pytest.skip("the case officers' pages are not part of the app")
    audit = Audit(page)
    officer_tour(app, page, language, audit.check)
    assert not audit.problems, "\n".join(audit.problems)

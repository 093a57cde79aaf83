"""The statistics page in a real browser: charts with their tables, axe, both languages, 320 px."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from agencies.clock import SWEDEN
from contactpoint.db.statistics_store import StatisticsSql
from workflows.statistics import FigureKey, LifeEventMonth, Release, Released, roll_up

from .test_accessibility import Audit
from .test_phone import WIDTH, Reflow

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
# Where a run may leave the chart's picture for the README (docs/images/statistics-chart.png).
CHART_PNG = os.environ.get("CONTACTPOINT_STATISTICS_CHART_PNG")


def _month(submitted: int, withdrawn: int, steps: int) -> LifeEventMonth:
    return LifeEventMonth(
        submitted=submitted,
        closed={"done": submitted - withdrawn - 1, "done_with_problems": 1, "withdrawn": withdrawn},
        steps_done=steps * 2,
        steps_done_cases=steps,
        steps_automated=int(steps * 1.6),
        durations={
            ("change-of-address", "skatteverket"): [60.0 * (1 + i % 7) for i in range(steps)],
            ("housing-allowance", "forsakringskassan"): [
                86400.0 * (1 + i % 4) for i in range(steps)
            ],
        },
        ease=[5, 4, 4, 5, 3, 5, 4, 5, 5, 4, 2][: max(0, submitted // 10)],
    )


class SixMonths:
    """Half a year of three life events' figures, released into the app's database."""

    def __init__(self) -> None:
        self.figures: dict[FigureKey, Released] = {}
        sizes = [
            (120, 4, 100),
            (95, 12, 80),
            (130, 3, 110),
            (150, 15, 120),
            (80, 2, 70),
            (140, 9, 120),
        ]
        self.months = {
            f"2024-{7 + i:02d}": {
                "moving": _month(*size),
                "bereavement": _month(size[0] // 5, 0, 12),
                "new-baby": _month(size[0] // 20, 0, 5),  # fewer than ten a month
            }
            for i, size in enumerate(sizes)
        }

    def first_activity(self) -> dt.datetime:
        return dt.datetime(2024, 7, 3, tzinfo=SWEDEN)

    def released_figures(self) -> dict[FigureKey, Released]:
        return dict(self.figures)

    def month_data(self, start: dt.datetime, _end: dt.datetime) -> dict[str, LifeEventMonth]:
        return dict(self.months.get(start.astimezone(SWEDEN).strftime("%Y-%m"), {}))

    def save_release(self, release: Release) -> None:
        StatisticsSql().save_release(release)
        self.figures |= release.figures


@pytest.fixture(scope="module")
def released(app: Flask) -> Iterator[Release]:
    with app.app_context():
        release = roll_up(SixMonths(), dt.datetime(2025, 1, 2, tzinfo=SWEDEN))
    assert release is not None
    yield release


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_statistics_page_shows_charts_with_their_tables_and_passes_axe(
    page: Page, released: Release, language: str, tmp_path: Path
) -> None:
    page.goto(f"/statistik?lang={language}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("main h1")).to_have_text("Statistik" if language == "sv" else "Statistics")
    chart = page.locator("#chart-moving")
    expect(chart).to_be_visible()
    # The chart's figures are the table's: each month's submitted, completed, withdrawn.
    table = page.locator("#cases-moving tbody tr")
    expect(table).to_have_count(6)
    values = chart.locator(".kp-chart__value").all_inner_texts()
    rows = [table.nth(i).locator("td").all_inner_texts() for i in range(6)]
    assert values == [text for row in rows for text in (row[0], row[1], row[3])]
    assert "–" in values  # a month's withdrawn cases under ten
    new_baby = page.locator("#cases-new-baby tbody td").all_inner_texts()
    assert set(new_baby) <= {"–", "0"}  # fewer than ten a month: all left out
    expect(page.locator("#times-chart-moving")).to_be_visible()
    expect(page.locator("head link[rel=alternate][type='application/ld+json']")).to_have_count(1)
    audit = Audit(page)
    audit.check(f"statistics ({language})")
    assert not audit.problems, "\n".join(audit.problems)
    picture = tmp_path / "chart.png"
    chart.screenshot(path=str(picture))
    assert picture.stat().st_size > 5_000
    if CHART_PNG and language == "sv":
        shutil.copyfile(picture, CHART_PNG)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_statistics_page_fits_a_narrow_phone(
    app: Flask, browser: Browser, released: Release, language: str
) -> None:
    context = browser.new_context(
        base_url=app.config["LIVE_SERVER_URL"], viewport={"width": WIDTH, "height": 640}
    )
    phone = context.new_page()
    phone.goto(f"/statistik?lang={language}")
    expect(phone.locator("#chart-moving")).to_be_visible()
    reflow = Reflow(phone)
    reflow.check(f"statistics ({language})")
    context.close()
    assert not reflow.wide, "\n".join(reflow.wide)


def test_the_footer_of_every_page_links_to_the_statistics(page: Page) -> None:
    page.goto("/")
    page.locator("footer a[data-page='statistics']").click()
    page.wait_for_url("**/statistik")
    expect(page.locator("main h1")).to_have_text("Statistik")

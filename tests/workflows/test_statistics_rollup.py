"""The monthly roll-up over a fake store: which months it releases, when, and what it keeps."""

from __future__ import annotations

import csv
import datetime as dt
import io

from agencies.clock import SWEDEN
from workflows.statistics import (
    FigureKey,
    LifeEventMonth,
    Release,
    Released,
    due_months,
    month_bounds,
    roll_up,
)


class FakeStatistics:
    """Months of data by their first moment; releases kept as the database would."""

    def __init__(self, months: dict[str, LifeEventMonth]) -> None:
        self.months = months
        self.figures: dict[FigureKey, Released] = {}
        self.releases: list[Release] = []
        self.asked: list[str] = []

    def first_activity(self) -> dt.datetime | None:
        return month_bounds(min(self.months))[0] if self.months else None

    def released_figures(self) -> dict[FigureKey, Released]:
        return dict(self.figures)

    def month_data(self, start: dt.datetime, end: dt.datetime) -> dict[str, LifeEventMonth]:
        period = start.astimezone(SWEDEN).strftime("%Y-%m")
        self.asked.append(period)
        month = self.months.get(period)
        return {"moving": month} if month else {}

    def save_release(self, release: Release) -> None:
        assert not set(release.figures) & set(self.figures), "a figure released twice"
        self.figures |= release.figures
        self.releases.append(release)


def _sweden(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SWEDEN)


def _busy(submitted: int, withdrawn: int = 0, durations: int = 12) -> LifeEventMonth:
    return LifeEventMonth(
        submitted=submitted,
        closed={"done": submitted - withdrawn, "withdrawn": withdrawn},
        steps_done=durations,
        steps_done_cases=durations,
        steps_automated=durations // 2,
        durations={("address", "skatteverket"): [float(s) for s in range(1, durations + 1)]},
        ease=[5, 4] * 6,
    )


def test_a_month_is_released_once_it_has_ended_and_settled_in_swedish_time() -> None:
    first = _sweden(2025, 3, 14, 12)
    assert due_months(first, None, _sweden(2025, 3, 31, 23)) == []
    assert due_months(first, None, _sweden(2025, 4, 1, 0, 30)) == []  # still settling
    assert due_months(first, None, _sweden(2025, 4, 1, 1, 0)) == ["2025-03"]
    assert due_months(first, "2025-03", _sweden(2025, 6, 2)) == ["2025-04", "2025-05"]
    assert due_months(None, None, _sweden(2025, 6, 2)) == []


def test_the_roll_up_counts_each_ended_month_once_and_keeps_it() -> None:
    store = FakeStatistics({"2025-01": _busy(40, 3), "2025-02": _busy(25)})
    first = roll_up(store, _sweden(2025, 2, 10))
    assert first is not None and first.periods == ["2025-01"]
    assert roll_up(store, _sweden(2025, 2, 20)) is None  # nothing new has ended
    second = roll_up(store, _sweden(2025, 3, 5))
    assert second is not None and second.periods == ["2025-02"]
    assert store.asked == ["2025-01", "2025-02"]  # January never counted again
    document = second.document
    moving = next(e for e in document["life_events"] if e["id"] == "moving")  # type: ignore[index]
    january = moving["periods"][0]
    assert january["period"] == "2025-01"
    assert january["submitted"] == 40 and january["completed"] == 37
    assert january["withdrawn"] is None and january["suppressed"]["withdrawn"] == "small_counts"
    assert january["automated_share"] == 0.5 and january["ease_mean"] == 4.5
    (step,) = january["steps"]
    assert (step["step"], step["agency"], step["done"]) == ("address", "skatteverket", 12)
    assert (step["median_seconds"], step["p90_seconds"]) == (6.5, 11.0)
    # Another life event, with no cases: zeros are published; its share has no value.
    baby = next(e for e in document["life_events"] if e["id"] == "new-baby")  # type: ignore[index]
    assert baby["periods"][0]["submitted"] == 0
    assert baby["periods"][0]["suppressed"]["automated_share"] == "no_cases"


def test_a_whole_year_gets_its_totals_when_december_is_released() -> None:
    months = {f"2025-{m:02d}": _busy(20 + m) for m in range(1, 13)} | {"2026-01": _busy(30)}
    store = FakeStatistics(months)
    roll_up(store, _sweden(2025, 12, 15))
    assert FigureKey("moving", "2025", "submitted") not in store.figures
    roll_up(store, _sweden(2026, 1, 2))
    year = store.figures[FigureKey("moving", "2025", "submitted")]
    assert year.figure.value == sum(20 + m for m in range(1, 13)) and not year.hidden
    assert store.figures[FigureKey("all", "2025", "submitted")].figure.value == year.figure.value


def test_the_csv_has_every_figure_and_a_marker_where_one_is_left_out() -> None:
    store = FakeStatistics({"2025-01": _busy(40, 3)})
    release = roll_up(store, _sweden(2025, 2, 10))
    assert release is not None
    rows = list(csv.DictReader(io.StringIO(release.csv)))
    assert list(rows[0]) == ["life_event", "period", "step", "agency", "measure", "value", "marker"]
    by = {(r["life_event"], r["measure"], r["step"]): r for r in rows}
    assert by[("moving", "submitted", "")]["value"] == "40"
    assert by[("moving", "withdrawn", "")] | {} == {
        "life_event": "moving", "period": "2025-01", "step": "", "agency": "",
        "measure": "withdrawn", "value": "", "marker": "small_counts",
    }  # fmt: skip
    assert by[("moving", "median_seconds", "address")]["value"] == "6.5"
    assert by[("all", "submitted", "")]["value"] == "40"

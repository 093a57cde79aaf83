"""The statistics page's charts and tables, made from the published document."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from flask_babel import format_date, format_decimal, format_percent, format_timedelta
from flask_babel import lazy_gettext as _l

from workflows import AGENCIES, catalogue

SHOWN_MONTHS = 12  # the page shows the latest year; the API and the CSV have every month
DASH = "–"
CASE_MEASURES = (
    ("submitted", _l("Submitted")),
    ("completed", _l("Completed")),
    ("completed_with_problems", _l("Completed with problems")),
    ("withdrawn", _l("Withdrawn")),
)
CHARTED = ("submitted", "completed", "withdrawn")
STEP_MEASURES = (
    ("steps_done", _l("Steps done")),
    ("automated_share", _l("Done with no person involved")),
    ("steps_failed", _l("Failed")),
    ("steps_retried", _l("Tried again")),
    ("feedback_responses", _l("Feedback answers")),
    ("ease_mean", _l("How easy (1–5)")),
)


@dataclass(frozen=True)
class Bar:
    """One bar: its words, its figure as text, its length in percent (None when left out)."""

    measure: str
    label: str
    text: str
    length: float | None


@dataclass(frozen=True)
class Group:
    """A chart's group of bars: a month, or a step."""

    label: str
    bars: list[Bar]


@dataclass
class LifeEventView:
    """One life event on the page: its charts and tables."""

    id: str
    title: str
    months: list[Group] = field(default_factory=list)
    case_rows: list[tuple[str, list[str]]] = field(default_factory=list)
    step_rows: list[tuple[str, list[str]]] = field(default_factory=list)
    latest: str = ""
    times: list[Group] = field(default_factory=list)
    time_rows: list[list[str]] = field(default_factory=list)


def month_name(period: str) -> str:
    """`2025-03` as "mars 2025" or "March 2025"."""
    year, month = (int(part) for part in period.split("-"))
    return format_date(dt.date(year, month, 1), "LLLL y")


def figure_text(measure: str, value: Any) -> str:
    """A figure as the page shows it; a dash when it is left out or has no value."""
    if value is None:
        return DASH
    if measure == "automated_share":
        return format_percent(value)
    if measure == "ease_mean":
        return format_decimal(value, format="0.0")
    if measure.endswith("_seconds"):
        return duration_text(value)
    return format_decimal(value)


def duration_text(seconds: float) -> str:
    """A time as words: "3 minuter", "2 days"."""
    return format_timedelta(dt.timedelta(seconds=seconds), threshold=1.5)


def _bars(
    entry: dict[str, Any], measures: tuple[tuple[str, Any], ...], largest: float
) -> list[Bar]:
    return [
        Bar(
            measure,
            str(label),
            figure_text(measure, entry.get(measure)),
            None if entry.get(measure) is None else 100 * entry[measure] / (largest or 1),
        )
        for measure, label in measures
    ]


def life_event_view(event: dict[str, Any], language: str) -> LifeEventView:
    """The charts and tables of one life event's latest months."""
    view = LifeEventView(event["id"], event["title"].get(language) or event["id"])
    months = event["periods"][-SHOWN_MONTHS:]
    charted = tuple((m, label) for m, label in CASE_MEASURES if m in CHARTED)
    largest = max([m.get(k) or 0 for m in months for k in CHARTED] or [0])
    for month in months:
        name = month_name(month["period"])
        view.months.append(Group(name, _bars(month, charted, largest)))
        view.case_rows.append((name, [figure_text(m, month.get(m)) for m, _ in CASE_MEASURES]))
        view.step_rows.append((name, [figure_text(m, month.get(m)) for m, _ in STEP_MEASURES]))
    if months:
        _times(view, event["id"], months[-1], language)
    return view


def _times(view: LifeEventView, event_id: str, month: dict[str, Any], language: str) -> None:
    """The latest month's time to done per step and agency: a chart and its table."""
    view.latest = month_name(month["period"])
    steps = month.get("steps", [])
    largest = max([s.get("p90_seconds") or 0 for s in steps] or [0])
    measures = (("median_seconds", _l("Median")), ("p90_seconds", _l("9 in 10 within")))
    for step in steps:
        title = _step_title(event_id, step["step"], language)
        agency = AGENCIES.get(step["agency"])
        agency_name = agency.name.get(language, step["agency"]) if agency else step["agency"]
        view.times.append(Group(f"{title} ({agency_name})", _bars(step, measures, largest)))
        view.time_rows.append(
            [title, agency_name, *(figure_text(m, step.get(m)) for m in ("done", *dict(measures)))]
        )


def _step_title(event_id: str, step_id: str, language: str) -> str:
    event = catalogue().get(event_id)
    try:
        return event.step(step_id).title.get(language, step_id) if event else step_id
    except StopIteration:  # a step no longer in the life event
        return step_id


def totals_rows(document: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """Every life event together, month by month, then whole years."""
    rows = [
        (month_name(m["period"]), [figure_text(k, m.get(k)) for k, _ in CASE_MEASURES])
        for m in document["all_life_events"]["periods"][-SHOWN_MONTHS:]
    ]
    rows += [
        (y["year"], [figure_text(k, y.get(k)) for k, _ in CASE_MEASURES])
        for y in document["all_life_events"]["years"]
    ]
    return rows

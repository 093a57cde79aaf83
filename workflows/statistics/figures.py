"""What is published per life event and month, and how each figure is made from a month's data.

Figures are counted by the month (in Swedish time) in which the thing counted happened: a case
is submitted in the month it was sent, completed or withdrawn in the month it closed; a step
counts in the month it finished. Each figure says how many cases it is computed from (its
`base`), which the suppression rule reads.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from agencies.clock import SWEDEN

from .suppression import Line

ALL = "all"  # the life event of the totals over every life event
# Counts of cases, published per life event, over every life event, and per whole year.
CASE_COUNTS = ("submitted", "completed", "completed_with_problems", "withdrawn")
# Counts of steps per life event and month; `steps_done` is also the total of the steps' `done`.
STEP_COUNTS = ("steps_done", "steps_failed", "steps_retried")
FEEDBACK_COUNTS = ("feedback_responses",)
RATIOS = ("automated_share", "ease_mean")  # not additive: only left out when from too few
STEP_FIGURES = ("done", "median_seconds", "p90_seconds")  # per step and agency
PERIOD_MEASURES = (*CASE_COUNTS, *STEP_COUNTS, "automated_share", *FEEDBACK_COUNTS, "ease_mean")
COUNTS = frozenset({*CASE_COUNTS, *STEP_COUNTS, *FEEDBACK_COUNTS, "done"})
ADDITIVE = frozenset({*CASE_COUNTS, "steps_done", "done"})  # take part in lines of totals


@dataclass(frozen=True, order=True)
class FigureKey:
    """Where a figure belongs: life event (or `all`), period (`YYYY-MM` or `YYYY`), measure,
    and for a step's figures the step and its agency."""

    life_event: str
    period: str
    measure: str
    step: str = ""
    agency: str = ""


@dataclass(frozen=True)
class Figure:
    """A computed figure and how many cases it is computed from; `value` None when there were
    no cases to compute it from (a share or a median of nothing)."""

    value: float | None
    base: int


@dataclass(frozen=True)
class Released:
    """A figure as released: its value, its base, and whether it is left out."""

    figure: Figure
    hidden: bool


@dataclass
class LifeEventMonth:
    """What happened to one life event's cases in one month, as the store counts it."""

    submitted: int = 0
    closed: dict[str, int] = field(default_factory=dict)  # closing status -> cases
    steps_done: int = 0
    steps_done_cases: int = 0
    steps_automated: int = 0
    steps_failed: int = 0
    steps_failed_cases: int = 0
    steps_retried: int = 0
    steps_retried_cases: int = 0
    # (step, agency) -> seconds from the case's submission to the step done, one per case
    durations: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    ease: list[int] = field(default_factory=list)  # the feedback given in the month


def month_of(moment: dt.datetime) -> str:
    """The month (`YYYY-MM`, in Sweden) of an aware moment."""
    return moment.astimezone(SWEDEN).strftime("%Y-%m")


def month_bounds(period: str) -> tuple[dt.datetime, dt.datetime]:
    """The month's first moment and the next month's, in UTC."""
    year, month = (int(part) for part in period.split("-"))
    start = dt.datetime(year, month, 1, tzinfo=SWEDEN)
    following = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=SWEDEN)
    return start.astimezone(dt.UTC), following.astimezone(dt.UTC)


def months_between(first: str, last: str) -> list[str]:
    """Every month from `first` to `last`, both included."""
    year, month = (int(part) for part in first.split("-"))
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = year + month // 12, month % 12 + 1
    return months


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `share` of them at or
    below it (for the median of an even count, the mean of the two middle ones)."""
    ordered = sorted(values)
    if share == 0.5:
        return float(statistics.median(ordered))
    return float(ordered[max(0, math.ceil(share * len(ordered)) - 1)])


def month_figures(period: str, months: Mapping[str, LifeEventMonth]) -> dict[FigureKey, Figure]:
    """Every figure of one month: per life event, and the case counts over all of them."""
    figures: dict[FigureKey, Figure] = {}
    for life_event, month in months.items():
        figures |= _life_event_figures(life_event, period, month)
    for measure in CASE_COUNTS:
        total = sum(_case_count(month, measure) for month in months.values())
        figures[FigureKey(ALL, period, measure)] = Figure(total, total)
    return figures


def _case_count(month: LifeEventMonth, measure: str) -> int:
    if measure == "submitted":
        return month.submitted
    status = {"completed": "done", "completed_with_problems": "done_with_problems"}
    return month.closed.get(status.get(measure, measure), 0)


def _life_event_figures(
    life_event: str, period: str, month: LifeEventMonth
) -> dict[FigureKey, Figure]:
    def key(measure: str, step: str = "", agency: str = "") -> FigureKey:
        return FigureKey(life_event, period, measure, step, agency)

    figures = {
        key(measure): Figure(_case_count(month, measure), _case_count(month, measure))
        for measure in CASE_COUNTS
    }
    figures[key("steps_done")] = Figure(month.steps_done, month.steps_done_cases)
    figures[key("steps_failed")] = Figure(month.steps_failed, month.steps_failed_cases)
    figures[key("steps_retried")] = Figure(month.steps_retried, month.steps_retried_cases)
    share = month.steps_automated / month.steps_done if month.steps_done else None
    figures[key("automated_share")] = Figure(_rounded(share, 3), month.steps_done_cases)
    answers = len(month.ease)
    figures[key("feedback_responses")] = Figure(answers, answers)
    mean = sum(month.ease) / answers if answers else None
    figures[key("ease_mean")] = Figure(_rounded(mean, 2), answers)
    for (step, agency), seconds in sorted(month.durations.items()):
        done = len(seconds)
        figures[key("done", step, agency)] = Figure(done, done)
        for measure, share_of in (("median_seconds", 0.5), ("p90_seconds", 0.9)):
            value = percentile(seconds, share_of) if seconds else None
            figures[key(measure, step, agency)] = Figure(_rounded(value, 1), done)
    return figures


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def year_figures(year: str, figures: Mapping[FigureKey, Figure]) -> dict[FigureKey, Figure]:
    """The case counts of a whole year: the sum of its months, per life event and over all."""
    totals: dict[FigureKey, Figure] = {}
    for key, figure in figures.items():
        if key.measure in CASE_COUNTS and key.period.startswith(f"{year}-"):
            year_key = FigureKey(key.life_event, year, key.measure)
            before = totals.get(year_key, Figure(0, 0))
            value = (before.value or 0) + (figure.value or 0)
            totals[year_key] = Figure(value, before.base + figure.base)
    return totals


def lines_of(keys: Iterable[FigureKey]) -> list[Line]:
    """The totals published over the additive figures: each period's life events and their
    total; each whole year's months and the year; each month's steps and its steps done."""
    parts: dict[tuple[str, ...], list[FigureKey]] = {}
    present = set()
    for key in keys:
        if key.measure not in ADDITIVE:
            continue
        present.add(key)
        if key.measure in CASE_COUNTS and key.life_event != ALL:  # the period's column
            parts.setdefault(("column", key.period, key.measure), []).append(key)
        if key.measure in CASE_COUNTS and len(key.period) == 7:  # the year's row
            parts.setdefault(("row", key.life_event, key.period[:4], key.measure), []).append(key)
        if key.measure == "done":  # the month's steps
            parts.setdefault(("steps", key.life_event, key.period), []).append(key)
    lines = []
    for (kind, *where), members in sorted(parts.items()):
        if kind == "column":
            total = FigureKey(ALL, where[0], where[1])
        elif kind == "row":
            total = FigureKey(where[0], where[1], where[2])
        else:
            total = FigureKey(where[0], where[1], "steps_done")
        if total in present:
            lines.append(Line(total, tuple(sorted(members))))
    return lines

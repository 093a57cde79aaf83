"""The monthly roll-up: once a month has ended, count it, protect its small counts, release it.

A month is counted once, after it has ended (and a settling hour for answers recorded at its
very end), and never again: the release keeps its figures, so removing old cases when their
retention ends changes no published figure, and no figure is revised in a way whose
difference would reveal a few cases. Figures of the running month are never published.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from ..lifeevents import catalogue
from .document import csv_text, document
from .figures import (
    ADDITIVE,
    COUNTS,
    Figure,
    FigureKey,
    LifeEventMonth,
    Released,
    lines_of,
    month_bounds,
    month_figures,
    month_of,
    months_between,
    year_figures,
)
from .suppression import THRESHOLD, primary, suppress

log = logging.getLogger(__name__)

SETTLE = dt.timedelta(hours=1)  # after a month's end, before it is counted


@dataclass
class Release:
    """What one roll-up adds: the months it counted, their figures (and whole years'), and
    the published document and CSV over everything released so far."""

    released_at: dt.datetime
    periods: list[str]
    figures: dict[FigureKey, Released]
    document: dict[str, object] = field(default_factory=dict)
    csv: str = ""


class StatisticsStore(Protocol):
    """What the roll-up reads and writes."""

    def first_activity(self) -> dt.datetime | None:
        """When the first case still held was submitted; None without cases."""

    def released_figures(self) -> dict[FigureKey, Released]:
        """Every figure released so far."""

    def month_data(self, start: dt.datetime, end: dt.datetime) -> dict[str, LifeEventMonth]:
        """What happened to each life event's cases from `start` until `end`."""

    def save_release(self, release: Release) -> None:
        """Keep the release's figures and make its document the published one (one transaction)."""


def due_months(
    first: dt.datetime | None, last_released: str | None, moment: dt.datetime
) -> list[str]:
    """The months ended (and settled) at `moment` and not yet released."""
    last_ended = _previous(month_of(moment - SETTLE))
    if last_released is not None:
        start = _next(last_released)
    elif first is not None:
        start = month_of(first)
    else:
        return []
    return months_between(start, last_ended) if start <= last_ended else []


def _previous(period: str) -> str:
    year, month = (int(part) for part in period.split("-"))
    return f"{year - 1:04d}-12" if month == 1 else f"{year:04d}-{month - 1:02d}"


def _next(period: str) -> str:
    year, month = (int(part) for part in period.split("-"))
    return f"{year + 1:04d}-01" if month == 12 else f"{year:04d}-{month + 1:02d}"


def roll_up(
    store: StatisticsStore, moment: dt.datetime, threshold: int = THRESHOLD
) -> Release | None:
    """Count, protect and release every month ended since the last release; None if none."""
    before = store.released_figures()
    months = [key.period for key in before if len(key.period) == 7]
    due = due_months(store.first_activity(), max(months) if months else None, moment)
    if not due:
        return None
    events = catalogue()
    computed: dict[FigureKey, Figure] = {}
    for period in due:
        data = store.month_data(*month_bounds(period))
        for life_event in events:
            data.setdefault(life_event, LifeEventMonth())
        computed |= month_figures(period, data)
    everything = {key: released.figure for key, released in before.items()} | computed
    for year in sorted({period[:4] for period in due if period.endswith("-12")}):
        computed |= year_figures(year, everything)
    everything |= computed
    hidden = protect(everything, {key: r.hidden for key, r in before.items()}, threshold)
    new = {key: Released(figure, key in hidden) for key, figure in computed.items()}
    released = {**before, **new}
    titles = {life_event: dict(event.title) for life_event, event in events.items()}
    release = Release(moment, due, new)
    release.document = document(released, titles, moment)
    release.csv = csv_text(released)
    store.save_release(release)
    log.info("statistics: released %s", ", ".join(due))
    return release


def protect(
    figures: Mapping[FigureKey, Figure], fixed: Mapping[FigureKey, bool], threshold: int = THRESHOLD
) -> set[FigureKey]:
    """The figures left out: the additive ones by the suppression rule over their totals, the
    others (shares, means, durations) when computed from fewer than `threshold` cases."""
    additive = {key: figure for key, figure in figures.items() if key.measure in ADDITIVE}
    values = {key: float(figure.value or 0) for key, figure in additive.items()}
    bases = {key: figure.base for key, figure in additive.items()}
    hidden: set[FigureKey] = set(
        suppress(values, bases, lines_of(additive), threshold, dict(fixed))  # type: ignore[arg-type]
    )
    for key, figure in figures.items():
        if key.measure in ADDITIVE:
            continue
        if key in fixed:
            left_out = fixed[key]
        elif key.measure in COUNTS:
            left_out = primary(figure.value or 0, figure.base, threshold)
        else:  # a share, mean or duration: from too few cases, unless from none (no value)
            left_out = figure.value is not None and figure.base < threshold
        if left_out:
            hidden.add(key)
    return hidden

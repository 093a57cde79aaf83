"""The published statistics: one JSON document and the same figures as CSV, with the markers
that say why a figure is left out and the licence they are given under."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from typing import Any

from .figures import ALL, CASE_COUNTS, COUNTS, PERIOD_MEASURES, FigureKey, Released
from .suppression import THRESHOLD

SMALL_COUNTS = "small_counts"  # left out: from fewer than 10 cases, or would reveal such a one
NO_CASES = "no_cases"  # no value: a share, mean or time of nothing
LICENCE = {
    "id": "CC0-1.0",
    "name": "CC0 1.0 Universal",
    "url": "https://creativecommons.org/publicdomain/zero/1.0/",
}
SUPPRESSION = {
    "threshold": THRESHOLD,
    "reasons": {
        SMALL_COUNTS: {
            "sv": "Utelämnad: bygger på färre än 10 ärenden, eller skulle avslöja en sådan"
            " uppgift tillsammans med summorna.",
            "en": "Left out: computed from fewer than 10 cases, or would reveal such a figure"
            " together with the totals.",
        },
        NO_CASES: {
            "sv": "Inget värde: det fanns inga ärenden att räkna på.",
            "en": "No value: there were no cases to compute it from.",
        },
    },
    "rule": {
        "sv": "En uppgift som bygger på färre än 10 ärenden visas inte. Inte heller en uppgift"
        " som tillsammans med summor skulle avslöja den. Noll visas.",
        "en": "A figure computed from fewer than 10 cases is left out, and so is any figure"
        " that, with the published totals, would reveal it. Zero is published.",
    },
}
CSV_COLUMNS = ("life_event", "period", "step", "agency", "measure", "value", "marker")
STEP_MEASURES = ("done", "median_seconds", "p90_seconds")


def _value(key: FigureKey, released: Released) -> int | float | None:
    if released.hidden or released.figure.value is None:
        return None
    value = released.figure.value
    return int(value) if key.measure in COUNTS else value


def _marker(released: Released) -> str | None:
    if released.hidden:
        return SMALL_COUNTS
    return NO_CASES if released.figure.value is None else None


def _entry(
    figures: Mapping[FigureKey, Released], keys: list[FigureKey], head: dict[str, Any]
) -> dict[str, Any]:
    entry = dict(head)
    suppressed: dict[str, str] = {}
    for key in keys:
        released = figures[key]
        entry[key.measure] = _value(key, released)
        marker = _marker(released)
        if marker:
            suppressed[key.measure] = marker
    entry["suppressed"] = suppressed
    return entry


def document(
    figures: Mapping[FigureKey, Released],
    titles: Mapping[str, Mapping[str, str]],
    released_at: dt.datetime,
) -> dict[str, Any]:
    """The published document over every released figure (left-out ones as null, marked)."""
    by_place: dict[tuple[str, str], list[FigureKey]] = {}
    for key in sorted(figures):
        by_place.setdefault((key.life_event, key.period), []).append(key)
    life_events: dict[str, dict[str, Any]] = {}
    for (life_event, period), keys in by_place.items():
        target = life_events.setdefault(life_event, {"periods": [], "years": []})
        plain = [key for key in keys if not key.step]
        plain.sort(key=lambda key: PERIOD_MEASURES.index(key.measure))
        if len(period) == 4:
            target["years"].append(_entry(figures, plain, {"year": period}))
            continue
        entry = _entry(figures, plain, {"period": period})
        if life_event != ALL:
            entry["steps"] = _steps(figures, [key for key in keys if key.step])
        target["periods"].append(entry)
    ordered = [event for event in titles if event in life_events]
    ordered += sorted(event for event in life_events if event not in titles and event != ALL)
    periods = sorted({key.period for key in figures if len(key.period) == 7})
    return {
        "title": {"sv": "Kontaktpunktens öppna statistik", "en": "Kontaktpunkt's open statistics"},
        "released_at": released_at.isoformat(timespec="seconds"),
        "first_period": periods[0] if periods else None,
        "last_period": periods[-1] if periods else None,
        "life_events": [
            {"id": event, "title": dict(titles.get(event, {"sv": event, "en": event}))}
            | life_events[event]
            for event in ordered
        ],
        "all_life_events": life_events.get(ALL, {"periods": [], "years": []}),
        "suppression": SUPPRESSION,
        "licence": LICENCE,
    }


def _steps(figures: Mapping[FigureKey, Released], keys: list[FigureKey]) -> list[dict[str, Any]]:
    by_step: dict[tuple[str, str], list[FigureKey]] = {}
    for key in keys:
        by_step.setdefault((key.step, key.agency), []).append(key)
    return [
        _entry(
            figures,
            sorted(step_keys, key=lambda key: STEP_MEASURES.index(key.measure)),
            {"step": step, "agency": agency},
        )
        for (step, agency), step_keys in sorted(by_step.items())
    ]


def empty_document() -> dict[str, Any]:
    """The document before any month has been released."""
    return document({}, {}, dt.datetime.now(dt.UTC)) | {"released_at": None}


def csv_text(figures: Mapping[FigureKey, Released]) -> str:
    """Every released figure, one per row; a left-out one empty, with its marker."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    order = {measure: index for index, measure in enumerate((*PERIOD_MEASURES, *STEP_MEASURES))}
    keys = sorted(
        figures,
        key=lambda k: (k.life_event == ALL, k.life_event, k.period, k.step, order[k.measure]),
    )
    for key in keys:
        released = figures[key]
        value = _value(key, released)
        writer.writerow(
            (key.life_event, key.period, key.step, key.agency, key.measure,
             "" if value is None else value, _marker(released) or "")
        )  # fmt: skip
    return out.getvalue()


__all__ = ["CASE_COUNTS", "LICENCE", "SUPPRESSION", "csv_text", "document", "empty_document"]

"""The answer to a query: per party, its customer events filtered, sorted and paged, and the
query echoed back.

The events of a case are worded once per query, however many parties it concerns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from agencies.clock import SWEDEN
from contactpoint.mina_arenden.events import CustomerEvent, customer_events
from contactpoint.mina_arenden.parties import CaseTimeline, Found, read_parties

SortKey = Callable[[CustomerEvent], Any]
SORT_KEYS: dict[str, SortKey] = {
    "RUBRIK": lambda event: event.heading.casefold(),
    "BESKRIVNING": lambda event: event.description.casefold(),
    "PRODUCENT": lambda event: 0,  # one producer: every event ties
    "TIDPUNKT": lambda event: event.at,
    "KUNDHANDELSETYP": lambda event: event.type,
    "PRODUCENTARENDETKRAVERKUNDATGARD": lambda event: event.citizen_must_act,
    "PRODUCENTARENDETKLART": lambda event: event.closed,
}
ECHOED = ("kundhandelseTyper", "taggar", "startDatum", "slutDatum", "behandling")


@dataclass(frozen=True)
class Producer:
    """Who answers: the producer's name, and the prefix of its event types."""

    name: str
    prefix: str


@dataclass(frozen=True)
class Answer:
    """The answer in the standard's words, and how many events it holds."""

    body: dict[str, Any]
    events: int


def answer(query: Mapping[str, Any], language: str, producer: Producer) -> Answer:
    """The answer to a query (`KundhandelseFragaRequest`, loaded) in `language`."""
    question = query["fraga"]
    parts = list(question["parter"])
    found, cases = read_parties(parts)
    worded = _Worded(cases, language, producer.prefix)
    matches = _filter(question)
    per_party, delfragor, shown = [], [], 0
    for part, party in zip(parts, found, strict=True):
        events = [event for event in worded.events_of(party) if matches(event)]
        page = _page(_sorted(events, question.get("behandling") or {}), question)
        shown += len(page)
        per_party.append(
            {
                "part": part,
                "totaltAntalKundhandelser": len(events),
                "kundhandelserForPart": [e.as_kundhandelse(producer.name, language) for e in page],
            }
        )
        ok = {"producent": producer.name, "part": part, "status": "OK", "httpCode": 200}
        delfragor.append(ok)
    metadata = {"parter": parts, "onskatSprak": language}
    metadata |= {name: question[name] for name in ECHOED if name in question}
    body = {"kundhandelser": per_party, "metadata": metadata, "delfragor": delfragor}
    return Answer(body, shown)


class _Worded:
    """Each case's events, worded the first time a party asks for them."""

    def __init__(self, cases: Mapping[str, CaseTimeline], language: str, prefix: str) -> None:
        self.cases, self.language, self.prefix = cases, language, prefix
        self.done: dict[str, list[CustomerEvent]] = {}

    def of_case(self, case_id: str) -> list[CustomerEvent]:
        if case_id not in self.done:
            found = self.cases.get(case_id)  # gone since it was found: retention removed it
            self.done[case_id] = customer_events(found, self.language, self.prefix) if found else []
        return self.done[case_id]

    def events_of(self, party: Found) -> Iterable[CustomerEvent]:
        reference = party.agency_reference
        for case_id in sorted(party.case_ids):
            for event in self.of_case(case_id):
                if reference is None or event.references.get("Diarienummer") == reference:
                    yield event


def _filter(question: Mapping[str, Any]) -> Callable[[CustomerEvent], bool]:
    """Whether an event matches the query's types, tags and dates (each that is given)."""
    types = tuple(question.get("kundhandelseTyper") or ())
    tags = set(question.get("taggar") or ())
    start = _midnight(question.get("startDatum"))
    end = _midnight(question.get("slutDatum"), days_after=1)

    def matches(event: CustomerEvent) -> bool:
        if types and not any(event.type == t or event.type.startswith(f"{t}.") for t in types):
            return False
        if tags and not tags.intersection(event.tags):
            return False
        if start is not None and event.at < start:
            return False
        return end is None or event.at < end

    return matches


def _midnight(day: str | None, days_after: int = 0) -> dt.datetime | None:
    """The start of the day in Swedish time (`days_after` days later), or None."""
    if not day:
        return None
    date = dt.date.fromisoformat(day) + dt.timedelta(days=days_after)
    return dt.datetime.combine(date, dt.time(), tzinfo=SWEDEN)


def _sorted(events: list[CustomerEvent], handling: Mapping[str, Any]) -> list[CustomerEvent]:
    """In the sorting's order (its first attribute first), or newest first without one. Ties
    keep the order of time, so that pages never overlap."""
    ordering = handling.get("sortering") or []
    ordered = sorted(events, key=lambda event: (event.at, event.order), reverse=not ordering)
    for sorting in reversed(ordering):  # a stable sort, the least significant first
        ordered.sort(key=SORT_KEYS[sorting["attribut"]], reverse=not sorting["stigande"])
    return ordered


def _page(events: list[CustomerEvent], question: Mapping[str, Any]) -> list[CustomerEvent]:
    """The page asked for (`offset`, and at most `limit` events), or every event."""
    paging = (question.get("behandling") or {}).get("paginering")
    if not paging:
        return events
    start = paging["offset"]
    limit = paging.get("limit")
    return events[start : None if limit is None else start + limit]

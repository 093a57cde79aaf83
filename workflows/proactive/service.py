"""The proactive service: a register event consumed once, and the periodic pass that finds
what is due with indexed queries, page by page, never loading everyone."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from agencies import clock
from agencies.registers.recorded import PopulationRegister

from ..deadlines import add_months
from ..lifeevents import catalogue
from ..message_types import NewMessage
from .offers import (
    Watch,
    case_suggestions,
    deadline_reminder,
    event_offers,
    fact_key,
    fact_reminder,
)
from .rules import of_trigger, rules

log = logging.getLogger(__name__)

BATCH = 1000
# How far back a pass looks for register events whose publishing was lost.
CATCH_UP = dt.timedelta(days=7)


@dataclass(frozen=True)
class CaseSeen:
    """A case submitted, as a rule over cases reads it."""

    id: str
    person_id: str
    life_event: str
    answers: Mapping[str, Any]
    created_at: dt.datetime


@dataclass(frozen=True)
class DueWatch:
    """A watched deadline whose reminder is due, with where its step stands now (None: gone)
    and the personal identity number of whom it reminds."""

    id: str
    watch: Watch
    step_status: str | None
    personal_number: str | None = None


class ProactiveStore(Protocol):
    """What the proactive service keeps in Kontaktpunkt's database."""

    def people_for(self, residents: Mapping[str, str]) -> dict[str, str]:
        """Personal number -> person id for these residents (number -> name), each given a
        mailbox (a person) where they have none yet."""

    def started(self, person_ids: list[str], life_event: str, since: dt.datetime) -> set[str]:
        """Of these people, those with a draft or a case of the life event begun since."""

    def consume_event(self, event_id: str, kind: str, messages: list[NewMessage]) -> bool:
        """In one transaction: mark the event consumed and write its messages; False (and
        nothing written) when it was consumed before."""

    def post_messages(self, messages: list[NewMessage]) -> None:
        """Write the messages, once per key."""

    def person_keys(self, numbers: list[str]) -> dict[str, str]:
        """Personal number -> a keyed digest of it, for the keys of messages about them."""

    def unwritten(self, keys: list[str]) -> set[str]:
        """Of these message keys, those no message has yet."""

    def watch_deadlines(self, watches: list[Watch]) -> None:
        """In the caller's transaction: remember the deadlines to remind of."""

    def due_watches(self, today: dt.date, limit: int) -> list[DueWatch]:
        """Unsettled watches due by `today`, oldest first, at most `limit`."""

    def settle_watches(self, ids: list[str], messages: list[NewMessage]) -> None:
        """In one transaction: write the reminders and settle these watches."""

    def unconsumed(self, event_ids: list[str]) -> list[str]:
        """Of these register events, those not acted on yet."""

    def cases_since(self, rule: str, life_events: list[str], limit: int) -> list[CaseSeen]:
        """Cases of these life events submitted after the rule's cursor, oldest first."""

    def suggest(self, rule: str, messages: list[NewMessage], through: CaseSeen) -> None:
        """In one transaction: write the messages and move the rule's cursor past `through`."""


@dataclass
class Proactive:
    """The service's collaborators in this process."""

    store: ProactiveStore
    register: PopulationRegister


def consume(service: Proactive, event_id: str) -> int:
    """Act on one register event once: an offer to each living person it concerns; return how
    many messages were written (0 for an event seen before or unknown)."""
    event = service.register.event(event_id)
    if event is None:
        log.warning("register event %s not found", event_id)
        return 0
    messages: list[NewMessage] = []
    for rule in of_trigger("register_event"):
        if rule.event != event.kind:
            continue
        living = service.register.living(event.related)  # never to a deceased person
        people = service.store.people_for(living)
        if rule.unless_started and people:  # not to whoever already began it themselves
            day = event.occurred_on - dt.timedelta(days=rule.unless_days)
            since = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
            begun = service.store.started(list(people.values()), rule.unless_started, since)
            people = {number: id_ for number, id_ in people.items() if id_ not in begun}
        messages += event_offers(rule, event, people)
    return len(messages) if service.store.consume_event(event.id, event.kind, messages) else 0


def fact_pages(service: Proactive, today: dt.date, batch: int = BATCH) -> Iterator[Any]:
    """The register's pages of people whose watched date comes within a rule's window, each
    with its rule: the indexed queries of the pass."""
    for rule in of_trigger("register_fact"):
        last = add_months(today, rule.within_months)
        for page in service.register.passports_expiring(today, last, batch):
            yield rule, page


def run_pass(
    service: Proactive, today: dt.date | None = None, batch: int = BATCH
) -> dict[str, int]:
    """One proactive pass: the register's dated facts coming up, the watched deadlines due,
    the cases since the case rules last looked, the register's events no worker acted on.
    Memory is one page at a time, whatever the population."""
    today = today or clock.today()
    counts = remind_of_facts(service, today, batch)
    counts |= remind_of_deadlines(service, today, batch)
    counts["suggestions"] = suggest_from_cases(service, batch)
    counts["events"] = catch_up(service, clock.now() - CATCH_UP)
    return counts


def remind_of_facts(service: Proactive, today: dt.date, batch: int = BATCH) -> dict[str, int]:
    """A reminder to each person whose watched date comes within a rule's window, unless an
    earlier pass reminded them: found by the reminders' keys before any mailbox is looked up."""
    counts = {"people": 0, "reminders": 0}
    for rule, page in fact_pages(service, today, batch):
        digests = service.store.person_keys([row.personal_number for row in page])
        keyed = {
            fact_key(rule, digests[row.personal_number], row.passport_expires_on): row
            for row in page
        }
        fresh = [keyed[key] for key in service.store.unwritten(list(keyed))]
        if fresh:
            ids = service.store.people_for({row.personal_number: row.name for row in fresh})
            service.store.post_messages(
                [
                    fact_reminder(
                        rule,
                        ids[row.personal_number],
                        row.passport_expires_on,
                        digests[row.personal_number],
                    )
                    for row in fresh
                ]
            )
        counts["people"] += len(page)
        counts["reminders"] += len(fresh)
    return counts


def remind_of_deadlines(service: Proactive, today: dt.date, batch: int = BATCH) -> dict[str, int]:
    """A reminder of each watched deadline due by today whose step is not met, cancelled or
    gone, to a person the register does not record as dead since (one look-up a page); every
    one read is settled, so the next pass reads only what came due since."""
    counts = {"deadlines": 0, "met": 0, "deceased": 0}
    known = rules()
    while due := service.store.due_watches(today, batch):
        dead = service.register.deceased({i.personal_number for i in due if i.personal_number})
        reminders, died = [], 0
        for item in due:
            rule = known.get(item.watch.rule)
            moot = item.step_status is None or item.step_status == "cancelled"
            if rule is not None and not moot and item.step_status not in rule.met:
                if item.personal_number in dead:
                    died += 1
                else:
                    reminders.append(deadline_reminder(rule, item.watch))
        service.store.settle_watches([item.id for item in due], reminders)
        counts["deadlines"] += len(reminders)
        counts["deceased"] += died
        counts["met"] += len(due) - len(reminders) - died
    return counts


def catch_up(service: Proactive, since: dt.datetime) -> int:
    """Act on the register's events since `since` that no worker has (their publishing was
    lost: the broker was down when they were recorded); return how many."""
    missed = 0
    for recorded in service.register.events_since(since):
        for event_id in service.store.unconsumed(recorded):
            consume(service, event_id)
            missed += 1
    return missed


def suggest_from_cases(service: Proactive, batch: int = BATCH) -> int:
    """The rules over cases: each reads the cases submitted since it last looked (its cursor),
    page by page, and suggests what their answers show eligibility for."""
    events = catalogue()
    written = 0
    for rule in of_trigger("case"):
        assert rule.life_event is not None
        while seen := service.store.cases_since(rule.id, [rule.life_event], batch):
            messages = [
                message
                for case in seen
                for message in case_suggestions(
                    events[case.life_event], case.answers, case.person_id, case.id, rule
                )
            ]
            service.store.suggest(rule.id, messages, seen[-1])
            written += len(messages)
    return written


def queries_alone(service: Proactive, today: dt.date, batch: int = BATCH) -> int:
    """The pass's indexed queries run alone, with nothing written: what the pass is measured
    against (the register's pages, the first page of the deadlines due and of each case
    rule's cases). Returns how many rows they read."""
    read = sum(len(page) for _rule, page in fact_pages(service, today, batch))
    read += len(service.store.due_watches(today, batch))
    for rule in of_trigger("case"):
        read += len(service.store.cases_since(rule.id, [str(rule.life_event)], batch))
    return read


_current: list[Proactive] = []


def configure(service: Proactive) -> None:
    """Install the service for this process (called by the app factory)."""
    _current[:] = [service]


def current() -> Proactive:
    """The service installed for this process."""
    if not _current:
        raise RuntimeError("the proactive service is not configured; create the app first")
    return _current[0]

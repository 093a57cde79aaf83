"""The cases a party of a query is about, and what they hold: read through indexes only.

A customer (`kund`) with a personal identity or coordination number has the cases they made
(`people.personal_number`, unique, then `ix_cases_person_created`) and the cases made on their
behalf, a child's or an estate's (`ix_cases_on_behalf_of`); a customer with an organisation
number has the cases made on the company's behalf (the same index). The number is sealed at
rest, the same number to the same value (`db.protection`), so each is a lookup by equality on
the value it seals to under each key that opens. A case (`arende`) is found by Kontaktpunkt's
reference (`Producentarendereferens`, unique) or by an agency's reference of one of its steps
(`Diarienummer`, `ix_steps_agency_reference`). Nothing here reads every case: the work is
bounded by the party's own cases.
"""

from __future__ import annotations

from collections import defaultdict, namedtuple
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from contactpoint.db.case_records import Part, PartsInOne
from contactpoint.db.protection import sealings
from contactpoint.db.statements.connections import outside_transactions
from contactpoint.db.statements.tables import CASES, EVENTS, PEOPLE, STEPS

SEALED: sa.BindParameter[Any] = sa.bindparam("sealed", expanding=True)
CASE_IDS: sa.BindParameter[Any] = sa.bindparam("case_ids", expanding=True)


def _stored(column: sa.Column[Any]) -> sa.ColumnElement[Any]:
    """A sealed column compared as stored, with values sealed beforehand (`sealings`)."""
    return sa.type_coerce(column, sa.String)


# The cases a person made or that were made for them (params: sealed).
CASES_OF_NUMBER = sa.union(
    sa.select(CASES.c.id).where(
        CASES.c.person_id.in_(
            sa.select(PEOPLE.c.id).where(_stored(PEOPLE.c.personal_number).in_(SEALED))
        )
    ),
    sa.select(CASES.c.id).where(_stored(CASES.c.on_behalf_of).in_(SEALED)),
)
# The cases made on a company's behalf (params: sealed).
CASES_OF_ORGANISATION = sa.select(CASES.c.id).where(_stored(CASES.c.on_behalf_of).in_(SEALED))
CASE_BY_REFERENCE = sa.select(CASES.c.id).where(CASES.c.reference == sa.bindparam("reference"))
CASES_BY_AGENCY_REFERENCE = sa.select(STEPS.c.case_id).where(
    STEPS.c.agency_reference == sa.bindparam("reference")
)

CASE_COLUMNS = (CASES.c.id, CASES.c.reference, CASES.c.life_event)
STEP_COLUMNS = (
    STEPS.c.id, STEPS.c.case_id, STEPS.c.key, STEPS.c.agency, STEPS.c.status,
    STEPS.c.agency_reference,
)  # fmt: skip
LINE_COLUMNS = (
    EVENTS.c.id, EVENTS.c.case_id, EVENTS.c.step_id, EVENTS.c.at, EVENTS.c.kind, EVENTS.c.detail,
)  # fmt: skip
CaseRow = namedtuple("CaseRow", [column.name for column in CASE_COLUMNS])  # type: ignore[misc]
StepRow = namedtuple("StepRow", [column.name for column in STEP_COLUMNS])  # type: ignore[misc]
LineRow = namedtuple("LineRow", [column.name for column in LINE_COLUMNS])  # type: ignore[misc]

# The cases, their steps in order and their timelines in order (params: case_ids).
CASES_WITH_TIMELINES = PartsInOne(
    Part("case", CASE_COLUMNS, CaseRow, CASES, CASES.c.id.in_(CASE_IDS), sa.literal_column("0")),
    Part("step", STEP_COLUMNS, StepRow, STEPS, STEPS.c.case_id.in_(CASE_IDS), STEPS.c.position),
    Part("line", LINE_COLUMNS, LineRow, EVENTS, EVENTS.c.case_id.in_(CASE_IDS), EVENTS.c.id),
)


@dataclass(frozen=True)
class Found:
    """What a party is about: its cases' ids and, for an agency's reference, that reference
    (then only the events of its step match)."""

    case_ids: frozenset[str]
    agency_reference: str | None = None


@dataclass(frozen=True)
class CaseTimeline:
    """A case with its steps and timeline lines, in their order."""

    case: Any
    steps: list[Any]
    lines: list[Any]


def personal_number(digits: str) -> str:
    """Twelve digits as Kontaktpunkt stores a number: YYYYMMDD-NNNN."""
    return f"{digits[:8]}-{digits[8:]}"


def organisation_number(digits: str) -> str:
    """Twelve digits as Kontaktpunkt stores an organisation number: NNNNNN-NNNN, the ten after
    the two the standard puts first ("16" for a legal person, a sole trader's century)."""
    return f"{digits[2:8]}-{digits[8:]}"


def find(connection: sa.Connection, part: Mapping[str, Any]) -> Found:
    """The cases of one party (`kund`, `arende` or both: then both must match)."""
    found: set[str] | None = None
    reference = None
    customer, case = part.get("kund"), part.get("arende")
    if customer:
        found = set(_of_customer(connection, customer))
    if case:
        of_case = set(_of_case(connection, case))
        found = of_case if found is None else found & of_case
        if case["typ"] == "Diarienummer":
            reference = case["identifierare"]
    return Found(frozenset(found or ()), reference)


def _of_customer(connection: sa.Connection, customer: Mapping[str, Any]) -> Iterable[str]:
    if customer["typ"] == "Organisationsnummer":
        sealed = sealings(organisation_number(customer["identifierare"]))
        return connection.execute(CASES_OF_ORGANISATION, {"sealed": sealed}).scalars()
    sealed = sealings(personal_number(customer["identifierare"]))
    return connection.execute(CASES_OF_NUMBER, {"sealed": sealed}).scalars()


def _of_case(connection: sa.Connection, case: Mapping[str, Any]) -> Iterable[str]:
    statement = {
        "Producentarendereferens": CASE_BY_REFERENCE,
        "Diarienummer": CASES_BY_AGENCY_REFERENCE,
    }.get(case["typ"])
    if statement is None:  # a consumer's reference or a receipt number: none kept here
        return ()
    return connection.execute(statement, {"reference": case["identifierare"]}).scalars()


def timelines(connection: sa.Connection, case_ids: Iterable[str]) -> dict[str, CaseTimeline]:
    """The cases with these ids, with their steps and timelines (one statement)."""
    ids = sorted(set(case_ids))
    if not ids:
        return {}
    cases, steps, lines = CASES_WITH_TIMELINES.read(connection, case_ids=ids)
    steps_of: dict[str, list[Any]] = defaultdict(list)
    lines_of: dict[str, list[Any]] = defaultdict(list)
    for step in steps:
        steps_of[step.case_id].append(step)
    for line in lines:
        lines_of[line.case_id].append(line)
    return {case.id: CaseTimeline(case, steps_of[case.id], lines_of[case.id]) for case in cases}


def read_parties(
    parts: list[Mapping[str, Any]],
) -> tuple[list[Found], dict[str, CaseTimeline]]:
    """What each party is about, and every case any of them is about, read once."""
    with outside_transactions() as connection:
        found = [find(connection, part) for part in parts]
        every = set().union(*(each.case_ids for each in found))
        return found, timelines(connection, every)

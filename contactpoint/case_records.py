"""A case as its readers see it, read with three prebuilt queries instead of the ORM.

The status read and the answer to a submission render a whole case: its row, its steps and
its timeline. Loading ORM objects for that costs more than the queries, so these are plain
rows. A `CaseRecord` answers the attributes the presenters read, like a `Case` does.
"""

from __future__ import annotations

from collections import defaultdict, namedtuple
from dataclasses import dataclass
from functools import cache
from typing import Any

import sqlalchemy as sa

from .extensions import db
from .models import Draft
from .statements import (
    CASES,
    EVENT,
    EVENTS,
    NEW_SHARES,
    SHARES,
    STEPS,
    as_json,
    insert_from_json,
    outside_transactions,
    run,
    run_alone,
    run_many,
)

DRAFTS: sa.Table = Draft.__table__

CASE_COLUMNS = (
    CASES.c.id, CASES.c.reference, CASES.c.person_id, CASES.c.life_event, CASES.c.status,
    CASES.c.on_behalf_of, CASES.c.answers, CASES.c.sources, CASES.c.consented_preview,
    CASES.c.created_at, CASES.c.closed_at,
)  # fmt: skip
STEP_COLUMNS = (
    STEPS.c.id, STEPS.c.case_id, STEPS.c.key, STEPS.c.agency, STEPS.c.status, STEPS.c.ball,
    STEPS.c.status_reason, STEPS.c.agency_reference, STEPS.c.complement_question,
    STEPS.c.outcome, STEPS.c.depends_on, STEPS.c.fields, STEPS.c.updated_at,
)  # fmt: skip

# One case and its steps (params: case_id).
CASE_ROW = sa.select(*CASE_COLUMNS).where(CASES.c.id == sa.bindparam("case_id"))
STEP_ROWS = (
    sa.select(*STEP_COLUMNS)
    .where(STEPS.c.case_id == sa.bindparam("case_id"))
    .order_by(STEPS.c.position)
)

# A citizen's cases newest first, and all their steps in one more query (params: person_id).
CASE_ROWS_OF = (
    sa.select(*CASE_COLUMNS)
    .where(CASES.c.person_id == sa.bindparam("person_id"))
    .order_by(CASES.c.created_at.desc())
)
STEP_ROWS_OF = (
    sa.select(*STEP_COLUMNS)
    .join(CASES, CASES.c.id == STEPS.c.case_id)
    .where(CASES.c.person_id == sa.bindparam("person_id"))
    .order_by(STEPS.c.case_id, STEPS.c.position)
)

# The life events of a citizen's journeys not sent yet, the latest first (params: person_id).
DRAFT_EVENTS_OF = (
    sa.select(DRAFTS.c.life_event)
    .where(DRAFTS.c.person_id == sa.bindparam("person_id"))
    .order_by(DRAFTS.c.updated_at.desc())
)

EVENT_COLUMNS = (EVENTS.c.at, EVENTS.c.kind, EVENTS.c.step_id, EVENTS.c.detail)
EVENT_ROWS = (
    sa.select(*EVENT_COLUMNS)
    .where(EVENTS.c.case_id == sa.bindparam("case_id"))
    .order_by(EVENTS.c.id)
)

# A new case, its steps and its first timeline line, each returning what it wrote as the
# queries above read it: the answer to a submission needs no reading back.
NEW_CASE_ROW = sa.insert(CASES).returning(*CASE_COLUMNS)
NEW_STEP_ROWS = sa.insert(STEPS).returning(*STEP_COLUMNS, sort_by_parameter_order=True)
NEW_EVENT_ROW = EVENT.returning(*EVENT_COLUMNS)


@dataclass(frozen=True)
class CaseRecord:
    """A case's row with its steps and its timeline, in their order."""

    row: Any
    steps: list[Any]
    events: list[Any]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.row, name)


def case_records_of(person_id: str) -> list[CaseRecord]:
    """A citizen's cases, newest first, with their steps but not their timelines.

    Read outside a transaction, as `case_record` is, and for the same reason: each statement
    of a transaction sees what was committed when it started anyway. On PostgreSQL the
    statements stay prepared, where the session's transaction planned them anew each time.
    """
    with outside_transactions() as connection:
        return _records_of(connection, {"person_id": person_id})


def overview_of(person_id: str) -> tuple[list[CaseRecord], list[str]]:
    """What My pages lists: `case_records_of`, and the life events of the citizen's journeys
    not sent yet, the latest first; on one connection outside a transaction."""
    params = {"person_id": person_id}
    with outside_transactions() as connection:
        records = _records_of(connection, params)
        return records, list(connection.execute(DRAFT_EVENTS_OF, params).scalars())


def _records_of(connection: sa.Connection, params: dict[str, Any]) -> list[CaseRecord]:
    steps: dict[str, list[Any]] = defaultdict(list)
    for step in connection.execute(STEP_ROWS_OF, params):
        steps[step.case_id].append(step)
    cases = connection.execute(CASE_ROWS_OF, params).all()
    return [CaseRecord(case, steps[case.id], []) for case in cases]


def case_record(case_id: str) -> CaseRecord | None:
    """The case with this id, its steps and its timeline, as committed; None if there is none.

    Read outside a transaction: on PostgreSQL each statement of a transaction sees what was
    committed when it started anyway, and this spares the BEGIN and ROLLBACK round trips.
    """
    params = {"case_id": case_id}
    with outside_transactions() as connection:
        row = connection.execute(CASE_ROW, params).first()
        if row is None:
            return None
        steps = connection.execute(STEP_ROWS, params).all()
        return CaseRecord(row, list(steps), list(connection.execute(EVENT_ROWS, params).all()))


# Rows of a new case as one PostgreSQL statement returns them (see `_new_case_at_once`).
CaseRow = namedtuple("CaseRow", [column.name for column in CASE_COLUMNS])  # type: ignore[misc]
StepRow = namedtuple("StepRow", [column.name for column in STEP_COLUMNS])  # type: ignore[misc]
EventRow = namedtuple("EventRow", [column.name for column in EVENT_COLUMNS])  # type: ignore[misc]


def insert_case(
    case: dict[str, Any],
    steps: list[dict[str, Any]],
    line: dict[str, Any],
    reads: list[Any],
    alone: bool = False,
) -> tuple[Any, list[Any], Any]:
    """Write a new case, its steps (in order), its first timeline line and the sharing log's
    register reads for it, in the session's transaction; return the case, step and line rows
    as written, as the queries above read them.

    Every column is given (`case`, `steps`, `line`: rows of column values; `reads`: rows of
    the sharing log). On PostgreSQL, all of it is one statement (one round trip where
    there were four); elsewhere one statement per table.

    `alone`: nothing else joins the transaction. On PostgreSQL the one statement then
    commits by itself, on a connection that keeps it prepared (`run_alone`): no BEGIN or
    COMMIT round trip, and no planning of it per submission.
    """
    if db.engine.dialect.name != "postgresql" or not steps:
        written = run(NEW_CASE_ROW, **case).one()
        written_steps = run_many(NEW_STEP_ROWS, steps).all()
        written_line = run(NEW_EVENT_ROW, **line).one()
        if reads:
            run_many(NEW_SHARES, reads)
        return written, list(written_steps), written_line
    statement = _new_case_at_once(tuple(case), tuple(steps[0]), tuple(line), _columns(reads))
    params = {"case": as_json(case), "steps": as_json(steps), "line": as_json(line)}
    params |= {"reads": as_json(reads)} if reads else {}
    rows = run_alone(statement, **params) if alone else run(statement, **params).all()
    first = rows[0]._mapping
    written = CaseRow(*(first[f"case_{column.name}"] for column in CASE_COLUMNS))
    written_line = EventRow(*(first[f"line_{column.name}"] for column in EVENT_COLUMNS))
    written_steps = [
        StepRow(*(row._mapping[f"step_{column.name}"] for column in STEP_COLUMNS)) for row in rows
    ]
    return written, written_steps, written_line


def _columns(rows: list[dict[str, Any]]) -> tuple[str, ...]:
    return tuple(rows[0]) if rows else ()


@cache
def _new_case_at_once(
    case: tuple[str, ...], step: tuple[str, ...], line: tuple[str, ...], read: tuple[str, ...]
) -> sa.TextClause:
    """One PostgreSQL statement that inserts a case, its steps, its first line and its
    register reads (params: case, steps, line, reads: `as_json` rows of these columns), and
    returns a row per step, in order, with the case and the line beside it. The steps'
    foreign key is checked at the statement's end, when the case is in."""

    def returning(columns: tuple[sa.Column[Any], ...]) -> str:
        return ", ".join(column.name for column in columns)

    def labelled(cte: str, columns: tuple[sa.Column[Any], ...], prefix: str) -> str:
        return ", ".join(f"{cte}.{c.name} AS {prefix}_{c.name}" for c in columns)

    reads = f", new_reads AS ({insert_from_json(SHARES, read, 'reads')})" if read else ""
    return sa.text(
        f"WITH new_case AS ({insert_from_json(CASES, case, 'case', one=True)}"
        f" RETURNING {returning(CASE_COLUMNS)}),"
        f" new_steps AS ({insert_from_json(STEPS, step, 'steps')}"
        f" RETURNING {returning(STEP_COLUMNS)}, position),"
        f" new_line AS ({insert_from_json(EVENTS, line, 'line', one=True)}"
        f" RETURNING {returning(EVENT_COLUMNS)}){reads}"
        f" SELECT {labelled('new_case', CASE_COLUMNS, 'case')},"
        f" {labelled('new_line', EVENT_COLUMNS, 'line')},"
        f" {labelled('new_steps', STEP_COLUMNS, 'step')}"
        " FROM new_case, new_line, new_steps ORDER BY new_steps.position"
    )

"""A case as its readers see it, read with prebuilt queries instead of the ORM.

The status read and the answer to a submission render a whole case: its row, its steps and
its timeline. Loading ORM objects for that costs more than the queries, so these are plain
rows. A `CaseRecord` answers the attributes the presenters read, like a `Case` does.

Each read is one statement, whatever it gathers (`PartsInOne`): a round trip costs a web
process more than the rows do, on PostgreSQL most of all.
"""

from __future__ import annotations

from collections import defaultdict, namedtuple
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import sqlalchemy as sa

from contactpoint.db.sealed_types import seals, stored_row
from contactpoint.db.statements.connections import (
    outside_transactions,
    run,
    run_alone,
    run_many,
)
from contactpoint.db.statements.events import EVENT
from contactpoint.db.statements.json_inserts import as_json, insert_from_json
from contactpoint.db.statements.people import NEW_SHARES
from contactpoint.db.statements.tables import CASES, DRAFTS, EVENTS, SHARES, STEPS
from contactpoint.extensions import db

CASE_COLUMNS = (
    CASES.c.id, CASES.c.reference, CASES.c.person_id, CASES.c.life_event, CASES.c.status,
    CASES.c.on_behalf_of, CASES.c.answers, CASES.c.sources, CASES.c.consented_preview,
    CASES.c.created_at, CASES.c.closed_at,
)  # fmt: skip
STEP_COLUMNS = (
    STEPS.c.id, STEPS.c.case_id, STEPS.c.key, STEPS.c.agency, STEPS.c.status, STEPS.c.ball,
    STEPS.c.status_reason, STEPS.c.reason_code, STEPS.c.agency_reference,
    STEPS.c.complement_question, STEPS.c.outcome, STEPS.c.depends_on, STEPS.c.fields,
    STEPS.c.updated_at, STEPS.c.next_attempt_at,
)  # fmt: skip

EVENT_COLUMNS = (EVENTS.c.at, EVENTS.c.kind, EVENTS.c.step_id, EVENTS.c.detail)

# A new case, its steps and its first timeline line, each returning what it wrote as the
# reads below read it: the answer to a submission needs no reading back.
NEW_CASE_ROW = sa.insert(CASES).returning(*CASE_COLUMNS)
NEW_STEP_ROWS = sa.insert(STEPS).returning(*STEP_COLUMNS, sort_by_parameter_order=True)
NEW_EVENT_ROW = EVENT.returning(*EVENT_COLUMNS)


# Rows as a statement of several parts (below), or a new case's one statement on PostgreSQL
# (`_new_case_at_once`), returns them.
CaseRow = namedtuple("CaseRow", [column.name for column in CASE_COLUMNS])  # type: ignore[misc]
StepRow = namedtuple("StepRow", [column.name for column in STEP_COLUMNS])  # type: ignore[misc]
EventRow = namedtuple("EventRow", [column.name for column in EVENT_COLUMNS])  # type: ignore[misc]
DraftRow = namedtuple("DraftRow", ["life_event"])


@dataclass(frozen=True)
class Part:
    """Rows of one kind in a `PartsInOne`: its columns, where they come from, their order."""

    prefix: str
    columns: tuple[sa.Column[Any], ...]
    shape: Any  # the namedtuple its rows are read as
    source: sa.FromClause
    where: sa.ColumnElement[bool]
    ordering: sa.ColumnElement[Any]  # an integer


class PartsInOne:
    """Rows of several kinds in one statement, one round trip: a UNION ALL of a SELECT per
    part. Each row has the part's number (`part`), its place in its part (`ordering`), and
    the columns of every part, labelled `prefix_name`: its own part's values, and NULL of the
    same type for the others'. The rows come part by part, each part in order."""

    def __init__(self, *parts: Part) -> None:
        self.parts = parts
        selects = []
        for number, part in enumerate(parts):
            columns = [
                sa.literal_column(str(number), sa.Integer).label("part"),
                part.ordering.label("ordering"),
            ]
            for other in parts:
                for column in other.columns:
                    value = column if other is part else sa.cast(sa.null(), column.type)
                    columns.append(value.label(f"{other.prefix}_{column.name}"))
            selects.append(sa.select(*columns).select_from(part.source).where(part.where))
        self.statement = sa.union_all(*selects).order_by(sa.column("part"), sa.column("ordering"))

    def read(self, connection: sa.Connection, **params: Any) -> list[list[Any]]:
        """The rows, a list per part, each row as its part's shape."""
        found: list[list[Any]] = [[] for _ in self.parts]
        for row in connection.execute(self.statement, params):
            fields, part = row._mapping, self.parts[row.part]
            names = (f"{part.prefix}_{column.name}" for column in part.columns)
            found[row.part].append(part.shape(*(fields[name] for name in names)))
        return found


def _newest_first(column: sa.Column[Any]) -> sa.ColumnElement[Any]:
    return sa.func.row_number().over(order_by=column.desc())


CASE_ID: sa.BindParameter[Any] = sa.bindparam("case_id")
PERSON_ID: sa.BindParameter[Any] = sa.bindparam("person_id")

# A case's row, its steps in order and its timeline in order (params: case_id).
WHOLE_CASE = PartsInOne(
    Part("case", CASE_COLUMNS, CaseRow, CASES, CASES.c.id == CASE_ID, sa.literal_column("0")),
    Part("step", STEP_COLUMNS, StepRow, STEPS, STEPS.c.case_id == CASE_ID, STEPS.c.position),
    Part("line", EVENT_COLUMNS, EventRow, EVENTS, EVENTS.c.case_id == CASE_ID, EVENTS.c.id),
)
# A citizen's cases newest first, and their steps, each case's in order (params: person_id).
_CASES_OF_PERSON = Part(
    "case", CASE_COLUMNS, CaseRow, CASES, CASES.c.person_id == PERSON_ID,
    _newest_first(CASES.c.created_at),
)  # fmt: skip
_STEPS_OF_PERSON = Part(
    "step", STEP_COLUMNS, StepRow, STEPS.join(CASES, CASES.c.id == STEPS.c.case_id),
    CASES.c.person_id == PERSON_ID, STEPS.c.position,
)  # fmt: skip
CASES_OF = PartsInOne(_CASES_OF_PERSON, _STEPS_OF_PERSON)
# That, and the life events of the citizen's journeys not sent yet, the latest first.
OVERVIEW_OF = PartsInOne(
    _CASES_OF_PERSON,
    _STEPS_OF_PERSON,
    Part(
        "draft", (DRAFTS.c.life_event,), DraftRow, DRAFTS, DRAFTS.c.person_id == PERSON_ID,
        _newest_first(DRAFTS.c.updated_at),
    ),
)  # fmt: skip


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

    One statement (`CASES_OF`), read outside a transaction, as `case_record` is, and for the
    same reason: each statement of a transaction sees what was committed when it started
    anyway. On PostgreSQL it stays prepared, where the session's transaction planned it anew
    each time.
    """
    with outside_transactions() as connection:
        cases, steps = CASES_OF.read(connection, person_id=person_id)
    return _records(cases, steps)


def overview_of(person_id: str) -> tuple[list[CaseRecord], list[str]]:
    """What My pages lists: `case_records_of`, and the life events of the citizen's journeys
    not sent yet, the latest first; in one statement (`OVERVIEW_OF`)."""
    with outside_transactions() as connection:
        cases, steps, drafts = OVERVIEW_OF.read(connection, person_id=person_id)
    return _records(cases, steps), [draft.life_event for draft in drafts]


def _records(cases: list[Any], steps: list[Any]) -> list[CaseRecord]:
    of_case: dict[str, list[Any]] = defaultdict(list)
    for step in steps:
        of_case[step.case_id].append(step)
    return [CaseRecord(case, of_case[case.id], []) for case in cases]


def case_record(case_id: str) -> CaseRecord | None:
    """The case with this id, its steps and its timeline, as committed; None if there is none.

    One statement (`WHOLE_CASE`), read outside a transaction: on PostgreSQL each statement of
    a transaction sees what was committed when it started anyway, and this spares the BEGIN
    and ROLLBACK round trips.
    """
    with outside_transactions() as connection:
        cases, steps, events = WHOLE_CASE.read(connection, case_id=case_id)
    return CaseRecord(cases[0], steps, events) if cases else None


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
    written: Any  # a row as the queries read it: the driver's, or one made from JSON
    written_steps: Sequence[Any]
    written_line: Any
    if db.engine.dialect.name != "postgresql" or not steps:
        written = run(NEW_CASE_ROW, **case).one()
        written_steps = run_many(NEW_STEP_ROWS, steps).all() if steps else []
        written_line = run(NEW_EVENT_ROW, **line).one()
        if reads:
            run_many(NEW_SHARES, reads)
        return written, list(written_steps), written_line
    statement = _new_case_at_once(tuple(case), tuple(steps[0]), tuple(line), _columns(reads))
    params: dict[str, Any] = {
        "case": as_json(stored_row(CASES, case)),
        "steps": as_json(steps),
        "line": as_json(stored_row(EVENTS, line)),
    }
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
) -> sa.TextualSelect:
    """One PostgreSQL statement that inserts a case, its steps, its first line and its
    register reads (params: case, steps, line, reads: `as_json` rows of these columns), and
    returns a row per step, in order, with the case and the line beside it. The steps'
    foreign key is checked at the statement's end, when the case is in."""

    def returning(columns: tuple[sa.Column[Any], ...]) -> str:
        return ", ".join(column.name for column in columns)

    def labelled(cte: str, columns: tuple[sa.Column[Any], ...], prefix: str) -> str:
        return ", ".join(f"{cte}.{c.name} AS {prefix}_{c.name}" for c in columns)

    reads = f", new_reads AS ({insert_from_json(SHARES, read, 'reads')})" if read else ""
    parts = (("case", CASE_COLUMNS), ("step", STEP_COLUMNS), ("line", EVENT_COLUMNS))
    sealed = {f"{part}_{c.name}": c.type for part, cs in parts for c in cs if seals(c)}  # open
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
    ).columns(**sealed)

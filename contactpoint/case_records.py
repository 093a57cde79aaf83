"""A case as its readers see it, read with three prebuilt queries instead of the ORM.

The status read and the answer to a submission render a whole case: its row, its steps and
its timeline. Loading ORM objects for that costs more than the queries, so these are plain
rows. A `CaseRecord` answers the attributes the presenters read, like a `Case` does.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from .statements import CASES, EVENT, EVENTS, STEPS, outside_transactions, run

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
    """A citizen's cases, newest first, with their steps but not their timelines."""
    steps: dict[str, list[Any]] = defaultdict(list)
    for step in run(STEP_ROWS_OF, person_id=person_id):
        steps[step.case_id].append(step)
    cases = run(CASE_ROWS_OF, person_id=person_id).all()
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

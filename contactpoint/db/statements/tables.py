"""The tables the prebuilt statements read and change, and the conditions they share."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa

from contactpoint.db.models import Case, CaseEvent, DataShare, Draft, Message, Person, Step
from contactpoint.extensions import db
from workflows.statuses import CaseStatus, StepStatus
from workflows.store import TERMINAL_STEP_STATUSES

OPEN_CASE = (CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS)
UNDER_WAY = (StepStatus.PENDING, StepStatus.RUNNING, StepStatus.WAITING)  # not yet ended
STEPS: sa.Table = Step.__table__
CASES: sa.Table = Case.__table__
EVENTS: sa.Table = CaseEvent.__table__
SHARES: sa.Table = DataShare.__table__
PEOPLE: sa.Table = Person.__table__
DRAFTS: sa.Table = Draft.__table__
MESSAGES: sa.Table = Message.__table__


def in_open_case() -> Any:
    """The step's case is open: a lookup by the case's key, never a scan of every case."""
    return sa.exists().where(CASES.c.id == STEPS.c.case_id, among(CASES.c.status, OPEN_CASE))


def waits_for_a_step_under_way() -> sa.ColumnElement[bool]:
    """The step (of `STEPS`) needs a step of its case that has not ended yet: it is not ready,
    and nothing is owed to it until that step ends. (The engine decides readiness; this only
    keeps such steps out of what recovery looks at.)"""
    return needs_a_step_not(TERMINAL_STEP_STATUSES, db.engine.dialect.name)


def needs_a_step_not(statuses: frozenset[str], dialect_name: str) -> sa.ColumnElement[bool]:
    """The step (of `STEPS`) needs a step of its case whose status is not one of `statuses`."""
    needed = STEPS.alias("needed")
    each = "json_array_elements_text" if dialect_name == "postgresql" else "json_each"
    keys = getattr(sa.func, each)(STEPS.c.depends_on).table_valued("value")
    return sa.exists().where(
        needed.c.case_id == STEPS.c.case_id,
        needed.c.key.in_(sa.select(keys.c.value)),
        sa.not_(among(needed.c.status, tuple(sorted(statuses)))),
    )


def among(column: sa.Column[Any], values: tuple[str, ...]) -> sa.ColumnElement[bool]:
    """`column IN (...)` for a fixed set of the code's own statuses, written into the SQL.

    `column.in_(values)` would bind them as an expanding parameter, which SQLAlchemy renders
    anew at every execution: on the hot path that costs more than the database's work.
    """
    for value in values:
        if not re.fullmatch(r"[a-z_]+", value):
            raise ValueError(f"not a status: {value!r}")
    return column.in_([sa.literal_column(f"'{value}'") for value in values])


def checked(*conditions: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    """`conditions`, checked on the rows that the statement's keys found, and never a way in.

    A guard such as `status = 'pending'` beside a list of keys lets PostgreSQL reach the rows
    through the index on status instead of the primary key, and it does when its statistics
    call the status rare (taken when few rows had it): then each claim read every pending
    step, thousands once work had piled up. Inside a CASE the guard matches no index.
    """
    return sa.case((sa.and_(*conditions), sa.true()), else_=sa.false())

"""Prebuilt statements of a case: its state, its lock, its version, its start and its close."""

from __future__ import annotations

from functools import cache
from typing import Any

import sqlalchemy as sa

from contactpoint.db.statements.json_inserts import LINE_AT_KIND, with_lines
from contactpoint.db.statements.sessions import HAS_ENDED
from contactpoint.db.statements.tables import (
    CASES,
    DRAFTS,
    EVENTS,
    MESSAGES,
    OPEN_CASE,
    PEOPLE,
    STEPS,
    among,
    checked,
)
from workflows.statuses import CaseStatus

# The case and the state of its steps, in one query (params: case_id).
CASE_STATE = (
    sa.select(
        CASES.c.life_event,
        CASES.c.status.label("case_status"),
        STEPS.c.id,
        STEPS.c.key,
        STEPS.c.agency,
        STEPS.c.status,
        STEPS.c.depends_on,
        STEPS.c.dispatched_at,
    )  # fmt: skip
    .select_from(CASES.outerjoin(STEPS, STEPS.c.case_id == CASES.c.id))
    .where(CASES.c.id == sa.bindparam("case_id"))
    .order_by(STEPS.c.position)
)

# Lock a case's row for the rest of the transaction (params: case_id), before reading its
# state: when two steps of one case end at once, the second settles after the first has
# committed, and its next statement sees both done. (PostgreSQL; SQLite's one writer at a
# time has the same effect.) The lock is a change of the row, adding one to its version and
# nothing else, so that a statement that took it can tell whether anyone changed the case
# after the statement's snapshot (`transition_settling`). An UPDATE that changes no key
# takes FOR NO KEY UPDATE, which waits for no key-share lock of a timeline row's insert.
BUMP_CASE = (
    sa.update(CASES)
    .values(version=CASES.c.version + 1, updated_at=CASES.c.updated_at)
    .returning(CASES.c.id, CASES.c.version)
)
LOCK_CASE = BUMP_CASE.where(CASES.c.id == sa.bindparam("case_id"))

# Whose a case is and how far it has changed (params: case_id): every UPDATE of the case or
# of a step adds one to its `version`, steps are only ever added, the timeline only grows.
# The times of the last changes tell apart what the counts cannot: a change made again after
# a crash of the database lost it counts the same, but later.
STATUS_VERSION = (
    sa.select(
        CASES.c.person_id,
        CASES.c.version,
        sa.func.count(STEPS.c.id).label("steps"),
        sa.func.coalesce(sa.func.sum(STEPS.c.version), 0).label("step_versions"),
        CASES.c.updated_at,
        sa.func.max(STEPS.c.updated_at).label("steps_updated_at"),
        sa.select(sa.func.max(EVENTS.c.id))
        .where(EVENTS.c.case_id == CASES.c.id)
        .scalar_subquery()
        .label("last_event"),
    )
    .select_from(CASES.outerjoin(STEPS, STEPS.c.case_id == CASES.c.id))
    .where(CASES.c.id == sa.bindparam("case_id"))
    .group_by(CASES.c.id, CASES.c.person_id, CASES.c.version, CASES.c.updated_at)
)

_PERSON_ID: sa.BindParameter[Any] = sa.bindparam("person_id")
_OF_PERSON = CASES.c.person_id == _PERSON_ID


def _counted(name: str, table: sa.Table, source: sa.FromClause, mine: Any) -> sa.Subquery:
    """One row: how many rows of `table` are the person's, their changes, their latest."""
    counts = [sa.func.count().label(name), sa.func.max(table.c.updated_at).label(f"{name}_at")]
    if "version" in table.c:
        counts.append(sa.func.coalesce(sa.func.sum(table.c.version), 0).label(f"{name}_versions"))
    return sa.select(*counts).select_from(source).where(mine).subquery()


# What My pages shows a person changed when any of these did (params: person_id,
# session_id): their cases' and steps' counts, counts of changes and latest changes, their
# unsent journeys' and their messages' (with the unread count the header shows); and whether
# the session asking has ended. No row: no such person.
_CASES_COUNTED = _counted("cases", CASES, CASES, _OF_PERSON)
_STEPS_COUNTED = _counted(
    "steps", STEPS, STEPS.join(CASES, CASES.c.id == STEPS.c.case_id), _OF_PERSON
)
_DRAFTS_COUNTED = _counted("drafts", DRAFTS, DRAFTS, DRAFTS.c.person_id == _PERSON_ID)
# Their messages: how many, how many unread (the header's count), the latest change.
_MESSAGES_COUNTED = (
    sa.select(
        sa.func.count().label("messages"),
        sa.func.count(sa.case((MESSAGES.c.read_at.is_(None), 1))).label("unread"),
        sa.func.max(MESSAGES.c.updated_at).label("messages_at"),
    )
    .where(MESSAGES.c.person_id == _PERSON_ID)
    .subquery()
)
OVERVIEW_VERSION = (
    sa.select(
        PEOPLE.c.id,
        HAS_ENDED.label("ended"),
        _CASES_COUNTED,
        _STEPS_COUNTED,
        _DRAFTS_COUNTED,
        _MESSAGES_COUNTED,
    )
    .select_from(
        PEOPLE.join(_CASES_COUNTED, sa.true())
        .join(_STEPS_COUNTED, sa.true())
        .join(_DRAFTS_COUNTED, sa.true())
        .join(_MESSAGES_COUNTED, sa.true())
    )
    .where(PEOPLE.c.id == _PERSON_ID)
)

# A case whose first step is sent is in progress (params: ids).
CASES_IN_PROGRESS = (
    sa.update(CASES)
    .where(
        CASES.c.id.in_(sa.bindparam("ids", expanding=True)),
        checked(CASES.c.status == CaseStatus.RECEIVED),
    )
    .values(status=CaseStatus.IN_PROGRESS)
)

# Close an open case, once (params: case_id, new_status, now).
CLOSE_CASE = (
    sa.update(CASES)
    .where(CASES.c.id == sa.bindparam("case_id"), among(CASES.c.status, OPEN_CASE))
    .values(status=sa.bindparam("new_status"), closed_at=sa.bindparam("now"))
)


@cache
def closing(share: bool = False) -> sa.Select[Any]:
    """PostgreSQL, in an atomic block: `CLOSE_CASE` with its line in the timeline, after
    the lines the block has gathered (params: those of `CLOSE_CASE` and of `with_lines`)."""
    closed = CLOSE_CASE.values(updated_at=sa.bindparam("now")).returning(CASES.c.id).cte("closed")
    detail = sa.func.json_build_object(sa.literal_column("'status'"), sa.bindparam("new_status"))
    own = sa.select(closed.c.id, sa.null(), *LINE_AT_KIND, detail)
    return sa.select(closed.c.id).add_cte(*with_lines(own, share))

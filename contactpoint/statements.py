"""The workflow's hot path as prebuilt statements: each is built, and its cache key found, once.

Every step of every case runs these. Building a SQLAlchemy statement and working out its cache
key costs more than SQLite takes to run it, so they are built at import with bound parameters
and run on the session's connection, in the session's transaction.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from .extensions import db
from .models import Case, CaseEvent, DataShare, Person, Step

OPEN_CASE = ("received", "in_progress")
STEPS: sa.Table = Step.__table__
CASES: sa.Table = Case.__table__
EVENTS: sa.Table = CaseEvent.__table__
SHARES: sa.Table = DataShare.__table__
PEOPLE: sa.Table = Person.__table__


def run(statement: sa.Executable, **params: Any) -> sa.CursorResult[Any]:
    """Run a prebuilt statement in the session's current transaction."""
    return db.session.connection().execute(statement, params)


def run_many(statement: sa.Executable, rows: list[dict[str, Any]]) -> None:
    """Run a prebuilt statement once per row, in one round trip where the driver can."""
    db.session.connection().execute(statement, rows)


def may_begin(moment: Any) -> tuple[Any, ...]:
    """A step may begin when pending, or running with a lapsed lease, in an open case."""
    lapsed = sa.or_(STEPS.c.lease_expires_at.is_(None), STEPS.c.lease_expires_at <= moment)
    return (
        sa.or_(STEPS.c.status == "pending", sa.and_(STEPS.c.status == "running", lapsed)),
        in_open_case(),
    )


def in_open_case() -> Any:
    """The step's case is open: a lookup by the case's key, never a scan of every case."""
    return sa.exists().where(CASES.c.id == STEPS.c.case_id, CASES.c.status.in_(OPEN_CASE))


# Win a step (params: step_id, now, lease): the conditional update only one worker wins.
BEGIN_STEP = (
    sa.update(STEPS)
    .where(STEPS.c.id == sa.bindparam("step_id"), *may_begin(sa.bindparam("now")))
    .values(
        status="running",
        ball="agency",
        attempts=STEPS.c.attempts + 1,
        started_at=sa.bindparam("now"),
        lease_expires_at=sa.bindparam("lease"),
    )
    .returning(
        STEPS.c.case_id,
        STEPS.c.key,
        STEPS.c.agency,
        STEPS.c.attempts,
        STEPS.c.fields,
        STEPS.c.manual,
        STEPS.c.depends_on,
        STEPS.c.complement_answer,
    )  # fmt: skip
)

# What a step's submission needs of its case and person (params: case_id).
CASE_FOR_STEP = (
    sa.select(
        CASES.c.life_event,
        CASES.c.answers,
        CASES.c.on_behalf_of,
        CASES.c.person_id,
        PEOPLE.c.personal_number,
        PEOPLE.c.name,
    )  # fmt: skip
    .join(PEOPLE, PEOPLE.c.id == CASES.c.person_id)
    .where(CASES.c.id == sa.bindparam("case_id"))
)

# What the steps of a case produced, to pass on downstream (params: case_id).
OUTPUTS = sa.select(STEPS.c.key, STEPS.c.outputs, STEPS.c.depends_on).where(
    STEPS.c.case_id == sa.bindparam("case_id")
)

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
# committed, and its next statement sees both done. FOR NO KEY UPDATE, because the timeline
# rows both have inserted already hold key-share locks on the case, which FOR UPDATE would
# wait for: a deadlock. (PostgreSQL; SQLite's one writer at a time has the same effect.)
LOCK_CASE = (
    sa.select(CASES.c.id)
    .where(CASES.c.id == sa.bindparam("case_id"))
    .with_for_update(key_share=True)
)

# Whose a case is and how far it has changed (params: case_id): every UPDATE of the case or
# of a step adds one to its `version`, steps are only ever added, the timeline only grows.
STATUS_VERSION = (
    sa.select(
        CASES.c.person_id,
        CASES.c.version,
        sa.func.count(STEPS.c.id).label("steps"),
        sa.func.coalesce(sa.func.sum(STEPS.c.version), 0).label("step_versions"),
        sa.select(sa.func.max(EVENTS.c.id))
        .where(EVENTS.c.case_id == CASES.c.id)
        .scalar_subquery()
        .label("last_event"),
    )
    .select_from(CASES.outerjoin(STEPS, STEPS.c.case_id == CASES.c.id))
    .where(CASES.c.id == sa.bindparam("case_id"))
    .group_by(CASES.c.id, CASES.c.person_id, CASES.c.version)
)

# Claim pending, unsent steps for dispatch (params: ids, now).
CLAIM = (
    sa.update(STEPS)
    .where(
        STEPS.c.id.in_(sa.bindparam("ids", expanding=True)),
        STEPS.c.status == "pending",
        STEPS.c.dispatched_at.is_(None),
    )
    .values(dispatched_at=sa.bindparam("now"))
    .returning(STEPS.c.id, STEPS.c.case_id)
)

# A case whose first step is sent is in progress (params: ids).
CASES_IN_PROGRESS = (
    sa.update(CASES)
    .where(CASES.c.id.in_(sa.bindparam("ids", expanding=True)), CASES.c.status == "received")
    .values(status="in_progress")
)

# Close an open case, once (params: case_id, new_status, now).
CLOSE_CASE = (
    sa.update(CASES)
    .where(CASES.c.id == sa.bindparam("case_id"), CASES.c.status.in_(OPEN_CASE))
    .values(status=sa.bindparam("new_status"), closed_at=sa.bindparam("now"))
)

# A new case (its column values; the rest take their defaults).
NEW_CASE = sa.insert(CASES)

# The planned steps of a new case (rows of column values; the rest take their defaults).
NEW_STEPS = sa.insert(STEPS)

# One line of a case's timeline (params: case_id, step_id, kind, detail).
EVENT = sa.insert(EVENTS).values(
    case_id=sa.bindparam("case_id"),
    step_id=sa.bindparam("step_id"),
    kind=sa.bindparam("kind"),
    detail=sa.bindparam("detail", type_=EVENTS.c.detail.type),
)


def add_event(case_id: str, step_id: str | None, kind: str, **detail: Any) -> None:
    """Write one line of a case's timeline (no object for the session to track)."""
    run(EVENT, case_id=case_id, step_id=step_id, kind=kind, detail=detail)


# Entries of the sharing log (rows of column values).
NEW_SHARES = sa.insert(SHARES)


@cache
def share_once(dialect_name: str) -> Any:
    """A step's transfer in the sharing log, once: a step sent again adds nothing (params: as
    named). One statement where a look first and an insert then were two round trips."""
    dialect: Any = postgresql if dialect_name == "postgresql" else sqlite
    return (
        dialect.insert(SHARES)
        .values(
            person_id=sa.bindparam("person_id"),
            case_id=sa.bindparam("case_id"),
            step_id=sa.bindparam("step_id"),
            recipient=sa.bindparam("recipient"),
            fields=sa.bindparam("fields", type_=SHARES.c.fields.type),
            basis="consent",
            reference=sa.bindparam("reference"),
        )
        .on_conflict_do_nothing(index_elements=["step_id"])
    )


# The register reads of a journey now belong to the case it became (params: person,
# journey (its life event), new_case_id; an UPDATE's parameters may not be named as columns).
ATTACH_READS = (
    sa.update(SHARES)
    .where(
        SHARES.c.person_id == sa.bindparam("person"),
        SHARES.c.case_id.is_(None),
        SHARES.c.kind == "register_read",
        SHARES.c.life_event == sa.bindparam("journey"),
    )
    .values(case_id=sa.bindparam("new_case_id"))
)


@cache
def transition(allowed: tuple[str, ...], columns: tuple[str, ...]) -> sa.Update:
    """Change a step still in one of `allowed` (params: step_id and `new_<column>` each)."""
    return (
        sa.update(STEPS)
        .where(STEPS.c.id == sa.bindparam("step_id"), STEPS.c.status.in_(allowed))
        .values({name: sa.bindparam(f"new_{name}", type_=STEPS.c[name].type) for name in columns})
        .returning(STEPS.c.case_id, STEPS.c.agency)
    )

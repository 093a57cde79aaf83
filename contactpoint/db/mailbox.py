"""A person's mailbox: their messages with what they concern, and marking one read."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from contactpoint.db.models import Message, now
from contactpoint.db.statements.connections import run_alone
from contactpoint.db.statements.tables import CASES, MESSAGES, STEPS
from contactpoint.extensions import db

# A person's messages, newest first, with the step and case each concerns (params: person_id).
_COLUMNS = (
    *MESSAGES.c,
    STEPS.c.key.label("step_key"),
    STEPS.c.agency,
    CASES.c.life_event,
    CASES.c.reference.label("case_reference"),
)
_WITH_CASE = MESSAGES.outerjoin(STEPS, STEPS.c.id == MESSAGES.c.step_id).outerjoin(
    CASES, CASES.c.id == MESSAGES.c.case_id
)
MESSAGES_OF = (
    sa.select(*_COLUMNS)
    .select_from(_WITH_CASE)
    .where(MESSAGES.c.person_id == sa.bindparam("person_id"))
    .order_by(MESSAGES.c.created_at.desc(), MESSAGES.c.id.desc())
)
MESSAGE_OF = (
    sa.select(*_COLUMNS)
    .select_from(_WITH_CASE)
    .where(MESSAGES.c.person_id == sa.bindparam("person_id"), MESSAGES.c.id == sa.bindparam("id"))
)
UNREAD = sa.select(sa.func.count()).where(
    MESSAGES.c.person_id == sa.bindparam("person_id"), MESSAGES.c.read_at.is_(None)
)


def messages_of(person_id: str) -> list[Any]:
    """The person's messages, newest first, each with its step's key and agency and its case's
    life event and reference (None where it concerns none)."""
    return run_alone(MESSAGES_OF, person_id=person_id)


def message_of(person_id: str, message_id: str) -> Any | None:
    """One of the person's messages; another person's is None, like a missing one."""
    found = run_alone(MESSAGE_OF, person_id=person_id, id=message_id)
    return found[0] if found else None


def unread_count(person_id: str) -> int:
    """How many of the person's messages they have not read."""
    return int(run_alone(UNREAD, person_id=person_id)[0][0])


def mark_read(person_id: str, message_id: str, dismiss: bool = False) -> bool:
    """Mark one of the person's messages read (and dismissed); False if there is no such
    message of theirs. Marking it again changes nothing."""
    moment = now()
    mine = sa.and_(Message.id == message_id, Message.person_id == person_id)
    changed = 0
    read = db.session.execute(
        sa.update(Message)
        .where(mine, Message.read_at.is_(None))
        .values(read_at=moment, updated_at=moment)
    )
    changed += read.rowcount  # type: ignore[attr-defined]
    if dismiss:
        gone = db.session.execute(
            sa.update(Message)
            .where(mine, Message.dismissed_at.is_(None))
            .values(dismissed_at=moment, updated_at=moment)
        )
        changed += gone.rowcount  # type: ignore[attr-defined]
    exists = changed > 0 or db.session.scalar(sa.select(Message.id).where(mine)) is not None
    db.session.commit()
    return exists

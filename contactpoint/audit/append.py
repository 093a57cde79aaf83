"""Appending to the audit trail: each entry after the chain's head, one writer at a time.

The head is one row (`audit_chain_head`). A writer first updates it to itself, which locks it
until the transaction ends: on PostgreSQL the row's lock, for which a second writer waits and
then reads the head as the first left it (READ COMMITTED takes the row's newest version); on
SQLite the database's write lock, with one writer at a time anyway. Then the entries go in,
each hashed after the one before, and the head moves to the last of them, all in the one
transaction: two web processes, or a worker and a command, appending at once never take the
same position or link to the same entry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, scoped_session

from agencies import clock
from contactpoint.audit.chain import entry_hash
from contactpoint.db.models import AuditChainHead, AuditEntry

HEAD: sa.Table = AuditChainHead.__table__
# A session, or the app's scoped one (`db.session`).
AnySession = Session | scoped_session[Any]


class MissingHead(RuntimeError):
    """The chain's head row is not there: the database was not migrated."""


@dataclass(frozen=True)
class Head:
    """The chain's last entry: its position and hash (0 and `chain.GENESIS` before the first)."""

    position: int
    entry_hash: str


def lock_head(session: AnySession) -> Head:
    """The chain's head, locked until the session's transaction ends (see above)."""
    row = session.execute(
        sa.update(HEAD)
        .where(HEAD.c.id == 1)
        .values(position=HEAD.c.position)
        .returning(HEAD.c.position, HEAD.c.entry_hash)
    ).one_or_none()
    if row is None:
        raise MissingHead("the audit trail has no head row: run `contactpoint db upgrade`")
    return Head(int(row.position), str(row.entry_hash))


def append(session: AnySession, entries: Sequence[Mapping[str, Any]]) -> list[AuditEntry]:
    """Add these entries (`actor`, `role`, `agency`, `action`, `case_id`, `step_id`, `detail`)
    at the end of the chain, in this order and at this moment, in the session's transaction:
    the caller commits, and the head stays locked until it does."""
    if not entries:
        return []
    head = lock_head(session)
    at = clock.now()  # after the lock: the chain's order is the order of its times
    previous, position = head.entry_hash, head.position
    added = []
    for values in entries:
        position += 1
        content = {**values, "detail": dict(values.get("detail") or {}), "at": at}
        digest = entry_hash(previous, position, content)
        added.append(
            AuditEntry(**content, position=position, previous_hash=previous, entry_hash=digest)
        )
        previous = digest
    session.add_all(added)
    session.flush()  # the entries first: the head moves only to an entry that is there
    session.execute(
        sa.update(HEAD).where(HEAD.c.id == 1).values(position=position, entry_hash=previous)
    )
    return added

"""Removing the oldest entries of the audit trail, the one way the database lets them go.

Retention removes the start of the chain only, never an entry from its middle: the longest
run of entries from the first on that were all written before the cut-off. It first records
a checkpoint, the position and hash of the last of them (`audit_checkpoints`, itself
append-only), and the database's guard then lets an entry go only at or below the latest
checkpoint. The chain stays verifiable from there: the first entry left links to the
checkpoint's hash. A checkpoint is refused unless it names an entry of the trail, by position
and hash, past the latest one.
"""

from __future__ import annotations

import datetime as dt
import itertools

import sqlalchemy as sa

from agencies import clock
from contactpoint.audit.append import AnySession, lock_head
from contactpoint.db.models import AuditCheckpoint, AuditEntry, utc

ENTRIES: sa.Table = AuditEntry.__table__
CHECKPOINTS: sa.Table = AuditCheckpoint.__table__


def _first_kept(before: dt.datetime) -> sa.ScalarSelect[int]:
    """The position of the first entry written at or after `before` (NULL if none is)."""
    first = sa.select(sa.func.min(ENTRIES.c.position)).where(ENTRIES.c.at >= before)
    return first.scalar_subquery()


def count_expired(session: AnySession, before: dt.datetime) -> int:
    """How many entries a pass would remove now: those before the first one written at or
    after `before`."""
    expired = sa.select(sa.func.count()).where(
        ENTRIES.c.position < sa.func.coalesce(_first_kept(before), ENTRIES.c.position + 1)
    )
    return int(session.scalar(expired) or 0)


def remove_expired(session: AnySession, before: dt.datetime, limit: int) -> int:
    """Remove up to `limit` entries from the start of the chain, as long as each was written
    before `before`, through a checkpoint; how many went. In the session's transaction, which
    the caller commits: the chain's head stays locked until then, so no entry is appended and
    no other pass removes meanwhile."""
    lock_head(session)
    first = session.execute(
        sa.select(ENTRIES.c.position, ENTRIES.c.entry_hash, ENTRIES.c.at)
        .order_by(ENTRIES.c.position)
        .limit(limit)
    ).all()
    chosen = list(itertools.takewhile(lambda row: utc(row.at) < before, first))  # type: ignore[operator]
    if not chosen:
        return 0
    last = chosen[-1]
    session.execute(
        sa.insert(CHECKPOINTS).values(
            position=last.position,
            entry_hash=last.entry_hash,
            entry_at=last.at,
            removed=len(chosen),
            at=clock.now(),
        )
    )
    gone = session.execute(sa.delete(ENTRIES).where(ENTRIES.c.position <= last.position))
    return int(gone.rowcount)  # type: ignore[attr-defined]

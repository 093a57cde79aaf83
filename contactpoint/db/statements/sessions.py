"""The ended sessions of the pages: recorded once, asked about on every signed-in request."""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from contactpoint.db.models import EndedSession

ENDED_SESSIONS: sa.Table = EndedSession.__table__
SESSION_ID: sa.BindParameter[str] = sa.bindparam("session_id")

# Whether this session has ended (params: session_id); usable inside another statement.
HAS_ENDED = sa.exists().where(ENDED_SESSIONS.c.id == SESSION_ID)
SESSION_ENDED = sa.select(HAS_ENDED.label("ended"))

# Forget the sessions ended before any cookie of theirs could still be sent (params: before).
FORGET_ENDED = sa.delete(ENDED_SESSIONS).where(ENDED_SESSIONS.c.ended_at < sa.bindparam("before"))


@cache
def end_session(dialect: str) -> sa.Executable:
    """Record a session as ended, once (params: id, ended_at)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(ENDED_SESSIONS).on_conflict_do_nothing(index_elements=["id"])

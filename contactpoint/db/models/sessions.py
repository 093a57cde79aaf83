"""Sessions of the pages that have ended, so that ending one ends every copy of its cookie."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from contactpoint.extensions import db


class EndedSession(db.Model):  # type: ignore[name-defined]
    """A session id that was signed out, timed out or replaced; kept for a session's lifetime,
    as long as a copy of its cookie could still be sent."""

    __tablename__ = "ended_sessions"
    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    ended_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), index=True)

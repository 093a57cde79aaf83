"""Messages to a person: their mailbox (Meddelanden)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from contactpoint.db.models.cases import new_id, now
from contactpoint.db.sealed_types import SealedAnswers
from contactpoint.extensions import db


class Message(db.Model):  # type: ignore[name-defined]
    """One message to a person: its kind and the facts it is about (`params`), put in words
    when read (`workflows.messages` says which changes make one)."""

    __tablename__ = "messages"
    __table_args__ = (
        # A person's mailbox, newest first; their unread ones; their latest change.
        sa.Index("ix_messages_person_created", "person_id", "created_at"),
    )
    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True, default=new_id)
    # What change it is about: the same change never makes a second message.
    key: Mapped[str] = mapped_column(sa.String(120), unique=True)
    person_id: Mapped[str] = mapped_column(sa.ForeignKey("people.id"))
    kind: Mapped[str] = mapped_column(sa.String(16))
    # The case and step it concerns, if any; removed with its case.
    case_id: Mapped[str | None] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    step_id: Mapped[str | None] = mapped_column(sa.String(32))
    # Sealed at rest: an officer's question or reason may name anyone.
    params: Mapped[dict[str, Any]] = mapped_column(SealedAnswers, default=dict)
    action: Mapped[str | None] = mapped_column(sa.String(16))
    action_life_event: Mapped[str | None] = mapped_column(sa.String(80))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=now)
    read_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    dismissed_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # The latest change (written, read, dismissed): part of My pages' version.
    updated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=now)

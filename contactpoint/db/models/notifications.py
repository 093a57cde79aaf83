"""A person's e-mail address for notifications, and the notifications sent to it."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from contactpoint.db.models.cases import new_id, now
from contactpoint.db.sealed_types import SealedAnswers
from contactpoint.extensions import db
from workflows.notifications import NotificationState


class Contact(db.Model):  # type: ignore[name-defined]
    """The address a person gave for notifications: used once verified."""

    __tablename__ = "contacts"
    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True, default=new_id)
    person_id: Mapped[str] = mapped_column(sa.ForeignKey("people.id"), unique=True)
    # Sealed at rest, as every personal datum is; `address_key` tells addresses apart.
    email: Mapped[str] = mapped_column(SealedAnswers)
    address_key: Mapped[str] = mapped_column(sa.String(64))
    # The language the person used when giving it: the notifications' language.
    language: Mapped[str] = mapped_column(sa.String(2))
    verified_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # The mail server refused the address (a 5xx to RCPT): shown, and not used again.
    refused_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # The kinds of message the person wants no e-mail about.
    muted_kinds: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    updated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=now)


class Notification(db.Model):  # type: ignore[name-defined]
    """One e-mail that says there is a new message: one per message and address."""

    __tablename__ = "notifications"
    __table_args__ = (
        sa.UniqueConstraint("message_id", "address_key", name="uq_notifications_message_address"),
        # What recovery resends, and a person's queued one that new messages fold into.
        sa.Index("ix_notifications_state_due", "state", "due_at"),
        sa.Index("ix_notifications_person_state", "person_id", "state"),
    )
    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True, default=new_id)
    message_id: Mapped[str] = mapped_column(sa.ForeignKey("messages.id"))
    person_id: Mapped[str] = mapped_column(sa.ForeignKey("people.id"))
    address_key: Mapped[str] = mapped_column(sa.String(64))
    language: Mapped[str] = mapped_column(sa.String(2))
    state: Mapped[str] = mapped_column(sa.String(8), default=NotificationState.QUEUED)
    # How many new messages it stands for (more than one when folded).
    messages: Mapped[int] = mapped_column(sa.Integer, default=1)
    # Queued: not sent before this (the rate limit). Sending: the claim's lease ends then.
    due_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=now)
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=now)
    sent_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))

"""Confirmations: another person's yes that steps of a case wait for (`workflows.confirmations`)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from contactpoint.db.models.cases import new_id, now
from contactpoint.extensions import db


class Confirmation(db.Model):  # type: ignore[name-defined]
    """One person's confirmation of some steps of a case: asked, then given or refused. The
    steps it holds back name it (`Step.confirmation_id`)."""

    __tablename__ = "confirmations"
    __table_args__ = (
        # What a person is asked to confirm, newest first.
        sa.Index("ix_confirmations_person_created", "person_id", "created_at"),
    )
    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    # Who must confirm: a person of their own, signed in or not yet.
    person_id: Mapped[str] = mapped_column(sa.ForeignKey("people.id"))
    role: Mapped[str] = mapped_column(sa.String(40))
    state: Mapped[str] = mapped_column(sa.String(12), default="asked")  # confirmed, declined, void
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=now)
    decided_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))

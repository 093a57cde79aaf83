"""Feedback at the end of a life event: how easy it was, and anything else the citizen says."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from contactpoint.db.models.cases import now
from contactpoint.extensions import db


class Feedback(db.Model):  # type: ignore[name-defined]
    """One answer to the feedback question, per life event; who gave it is not kept."""

    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    life_event: Mapped[str] = mapped_column(sa.String(80), index=True)
    # Only to accept one answer per case; administrators never see it.
    case_id: Mapped[str | None] = mapped_column(sa.ForeignKey("cases.id"), unique=True)
    ease: Mapped[int] = mapped_column(sa.Integer)
    comment: Mapped[str | None] = mapped_column(sa.Text)
    language: Mapped[str] = mapped_column(sa.String(2))
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=now)

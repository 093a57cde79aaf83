"""Proactive service: the register events consumed, and the step deadlines watched."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from contactpoint.db.models.cases import new_id, now
from contactpoint.extensions import db


class ConsumedEvent(db.Model):  # type: ignore[name-defined]
    """A register event Kontaktpunkt has acted on: by its id, once."""

    __tablename__ = "consumed_register_events"
    event_id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    consumed_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=now)


UNSETTLED = sa.text("settled_at IS NULL")


class DeadlineWatch(db.Model):  # type: ignore[name-defined]
    """A step's deadline that a rule reminds of on `remind_on`, unless the step is met by then;
    settled once reminded or met (or its case is gone)."""

    __tablename__ = "deadline_watches"
    __table_args__ = (
        # The pass reads the unsettled watches due by today, in date order.
        sa.Index(
            "ix_deadline_watches_due",
            "remind_on",
            "id",
            postgresql_where=UNSETTLED,
            sqlite_where=UNSETTLED,
        ),
        sa.UniqueConstraint("rule", "step_id", name="uq_deadline_watches_rule_step"),
    )
    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True, default=new_id)
    rule: Mapped[str] = mapped_column(sa.String(80))
    person_id: Mapped[str] = mapped_column(sa.String(32))
    case_id: Mapped[str] = mapped_column(sa.String(32), index=True)
    step_id: Mapped[str] = mapped_column(sa.String(32))
    deadline: Mapped[dt.date] = mapped_column(sa.Date)
    remind_on: Mapped[dt.date] = mapped_column(sa.Date)
    settled_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))


class ProactiveCursor(db.Model):  # type: ignore[name-defined]
    """How far the pass has read a growing table for a rule: the cases submitted up to
    (`through_at`, `through_id`) have been looked at."""

    __tablename__ = "proactive_cursors"
    rule: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    through_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    through_id: Mapped[str] = mapped_column(sa.String(32))

"""Agencies' later answers, each applied once however often it is delivered."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from contactpoint.db.models.cases import now
from contactpoint.extensions import db


class AgencyCallback(db.Model):  # type: ignore[name-defined]
    """A signed callback an agency sent and that was applied; a replay finds it here."""

    __tablename__ = "agency_callbacks"
    __table_args__ = (sa.UniqueConstraint("agency", "callback_id"),)
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    agency: Mapped[str] = mapped_column(sa.String(40))
    callback_id: Mapped[str] = mapped_column(sa.String(100))
    step_id: Mapped[str] = mapped_column(sa.String(32), index=True)
    decision: Mapped[str] = mapped_column(sa.String(16))
    received_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=now)

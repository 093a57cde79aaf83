"""The audit trail: who saw or changed what, when, in which case and step."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from contactpoint.db.models.cases import now
from contactpoint.db.sealed_types import SealedDetail
from contactpoint.extensions import db


class AuditEntry(db.Model):  # type: ignore[name-defined]
    """One access to personal data or one decision; written once, never changed."""

    __tablename__ = "audit_entries"
    __table_args__ = (sa.Index("ix_audit_entries_agency_at", "agency", "at"),)
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=now)
    actor: Mapped[str] = mapped_column(sa.String(80))
    role: Mapped[str] = mapped_column(sa.String(20))
    agency: Mapped[str] = mapped_column(sa.String(40))
    action: Mapped[str] = mapped_column(sa.String(40))
    case_id: Mapped[str | None] = mapped_column(sa.String(32), index=True)
    step_id: Mapped[str | None] = mapped_column(sa.String(32))
    # An officer's words (a reason, a question) sealed, as in `steps`.
    detail: Mapped[dict[str, Any]] = mapped_column(SealedDetail, default=dict)

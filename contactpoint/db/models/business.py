"""Acting for companies: the powers of attorney their signatories give, and each company's
log of what was done for it, by whom and on what basis."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from contactpoint.db.models.cases import new_id, now
from contactpoint.db.sealed_types import PersonalNumber
from contactpoint.extensions import db


class PowerOfAttorneyRow(db.Model):  # type: ignore[name-defined]
    """A signatory's power of attorney for a person to act for a company."""

    __tablename__ = "powers_of_attorney"
    __table_args__ = (sa.Index("ix_powers_of_attorney_organisation", "organisation_number"),)
    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True, default=new_id)
    organisation_number: Mapped[str] = mapped_column(sa.String(16))
    # Found by the holder through equality on the sealed number (ix_powers_of_attorney_holder).
    holder: Mapped[str] = mapped_column(PersonalNumber, index=True)
    granted_by: Mapped[str] = mapped_column(PersonalNumber)
    # For a company signed jointly, the second signatory who confirmed it.
    confirmed_by: Mapped[str | None] = mapped_column(PersonalNumber)
    life_events: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    valid_from: Mapped[dt.date] = mapped_column(sa.Date)
    valid_until: Mapped[dt.date] = mapped_column(sa.Date)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=now)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    revoked_by: Mapped[str | None] = mapped_column(PersonalNumber)


class CompanyLogEntry(db.Model):  # type: ignore[name-defined]
    """One thing done for a company: who did it, on what basis, and what."""

    __tablename__ = "company_log"
    __table_args__ = (sa.Index("ix_company_log_organisation_at", "organisation_number", "at"),)
    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True, default=new_id)
    organisation_number: Mapped[str] = mapped_column(sa.String(16))
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=now)
    # Who did it: a person signed in (their number and name are in `people`, sealed).
    person_id: Mapped[str] = mapped_column(sa.ForeignKey("people.id"))
    basis: Mapped[str] = mapped_column(sa.String(40))
    kind: Mapped[str] = mapped_column(sa.String(40))
    case_id: Mapped[str | None] = mapped_column(sa.String(32))
    detail: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

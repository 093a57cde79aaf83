"""The audit trail: who saw or changed what, when, in which case and step; a hash chain
(`contactpoint.audit`) with its head and the checkpoints retention leaves."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from contactpoint.db.models.cases import now
from contactpoint.db.sealed_types import SealedDetail
from contactpoint.extensions import db

HASH_LENGTH = 64  # SHA-256 in hex


class AuditEntry(db.Model):  # type: ignore[name-defined]
    """One access to personal data or one decision; written once, never changed."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        sa.Index("ix_audit_entries_agency_at", "agency", "at"),
        sa.Index("ix_audit_entries_position", "position", unique=True),
    )
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
    # Its place in the chain (1, 2, …, no gaps), the hash of the entry before it (or of the
    # checkpoint, or `chain.GENESIS`), and its own hash over both and what it says.
    position: Mapped[int] = mapped_column(sa.BigInteger)
    previous_hash: Mapped[str] = mapped_column(sa.String(HASH_LENGTH))
    entry_hash: Mapped[str] = mapped_column(sa.String(HASH_LENGTH))


class AuditChainHead(db.Model):  # type: ignore[name-defined]
    """The chain's last entry, in one row: appending locks it, so entries go on one at a time
    across processes and hosts. It only moves forward."""

    __tablename__ = "audit_chain_head"
    __table_args__ = (sa.CheckConstraint("id = 1", name="ck_audit_chain_head_one_row"),)
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    position: Mapped[int] = mapped_column(sa.BigInteger)
    entry_hash: Mapped[str] = mapped_column(sa.String(HASH_LENGTH))


class AuditCheckpoint(db.Model):  # type: ignore[name-defined]
    """Where retention cut the chain: the last entry it removed, by position and hash; the
    chain goes on from here. Written once, never changed or removed."""

    __tablename__ = "audit_checkpoints"
    position: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True, autoincrement=False)
    entry_hash: Mapped[str] = mapped_column(sa.String(HASH_LENGTH))
    entry_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    removed: Mapped[int] = mapped_column(sa.Integer)
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=now)

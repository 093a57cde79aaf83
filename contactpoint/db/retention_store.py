"""Removing what has outlived its retention period (`workflows.retention` says what and when)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from contactpoint.audit import retention as audit_trail
from contactpoint.db.models import (
    AgencyCallback,
    Confirmation,
    DeadlineWatch,
    Feedback,
    Notification,
)
from contactpoint.db.statements.tables import (
    CASES,
    DRAFTS,
    EVENTS,
    MESSAGES,
    OPEN_CASE,
    SHARES,
    STEPS,
    UNDER_WAY,
    among,
)
from contactpoint.extensions import db

CALLBACKS: sa.Table = AgencyCallback.__table__
FEEDBACK: sa.Table = Feedback.__table__
NOTIFICATIONS: sa.Table = Notification.__table__
CONFIRMATIONS: sa.Table = Confirmation.__table__
WATCHES: sa.Table = DeadlineWatch.__table__  # a case's deadlines watched, gone with it


def _forget_notifications(messages: Any) -> None:
    """Remove the notifications of the messages `messages` (a subquery of their ids) selects."""
    db.session.execute(sa.delete(NOTIFICATIONS).where(NOTIFICATIONS.c.message_id.in_(messages)))


def _removable_case(before: dt.datetime) -> sa.ColumnElement[bool]:
    """A case closed before `before` with nothing under way and no withdrawal to tell."""
    outstanding = sa.exists().where(
        STEPS.c.case_id == CASES.c.id,
        sa.or_(among(STEPS.c.status, UNDER_WAY), STEPS.c.withdrawal == "due"),
    )
    return sa.and_(
        CASES.c.closed_at < before, sa.not_(among(CASES.c.status, OPEN_CASE)), ~outstanding
    )


def _expired(kind: str, before: dt.datetime) -> tuple[sa.Column[Any], sa.ColumnElement[bool]]:
    """The key column of `kind`'s table and the condition its expired rows meet."""
    if kind == "cases":
        return CASES.c.id, _removable_case(before)
    if kind == "drafts":
        return DRAFTS.c.id, DRAFTS.c.updated_at < before
    if kind == "register_reads":  # read for a journey that never became a case
        return SHARES.c.id, sa.and_(SHARES.c.case_id.is_(None), SHARES.c.at < before)
    if kind == "messages":  # those of a case go with it
        return MESSAGES.c.id, sa.and_(MESSAGES.c.case_id.is_(None), MESSAGES.c.created_at < before)
    raise ValueError(f"nothing is kept as {kind!r}")


class RetentionSql:
    """`workflows.retention.RetentionStore` over the contact point's database."""

    def count_expired(self, kind: str, before: dt.datetime) -> int:
        """How many rows of `kind` have expired."""
        try:
            if kind == "audit":
                return audit_trail.count_expired(db.session, before)
            key, condition = _expired(kind, before)
            return int(db.session.scalar(sa.select(sa.func.count(key)).where(condition)) or 0)
        finally:
            db.session.rollback()

    def remove_expired(self, kind: str, before: dt.datetime, limit: int) -> int:
        """Remove up to `limit` expired rows of `kind` in one transaction (the audit trail's
        from the start of its chain, through a checkpoint: `contactpoint.audit.retention`)."""
        if kind == "audit":
            return self._remove_audit(before, limit)
        key, condition = _expired(kind, before)
        chosen = sa.select(key).where(condition).limit(limit)
        try:
            if kind == "messages":  # their notifications first, of the very same messages
                message_ids: list[str] = list(db.session.scalars(chosen))
                _forget_notifications(message_ids)
                chosen = sa.select(key).where(key.in_(message_ids))
            if kind != "cases":
                gone = db.session.execute(
                    sa.delete(key.table).where(key.in_(chosen.scalar_subquery()))
                )
                db.session.commit()
                return int(gone.rowcount)  # type: ignore[attr-defined]
            # Locked on PostgreSQL, then checked again by the first write, which takes SQLite's
            # write lock: a case reopened after the read stays.
            ids: list[str] = list(db.session.scalars(chosen.with_for_update(skip_locked=True)))
            if ids:
                ids = list(
                    db.session.scalars(
                        sa.update(CASES)
                        .where(CASES.c.id.in_(ids), condition)
                        .values(version=CASES.c.version + 1)
                        .returning(CASES.c.id)
                    )
                )
            if ids:
                self._remove_cases(ids)
            db.session.commit()
            return len(ids)
        except BaseException:
            db.session.rollback()
            raise

    @staticmethod
    def _remove_audit(before: dt.datetime, limit: int) -> int:
        try:
            gone = audit_trail.remove_expired(db.session, before, limit)
            db.session.commit()
            return gone
        except BaseException:
            db.session.rollback()
            raise

    @staticmethod
    def _remove_cases(ids: list[str]) -> None:
        """Remove these cases and everything that refers to them, children first."""
        steps = sa.select(STEPS.c.id).where(STEPS.c.case_id.in_(ids)).scalar_subquery()
        db.session.execute(sa.delete(CALLBACKS).where(CALLBACKS.c.step_id.in_(steps)))
        _forget_notifications(sa.select(MESSAGES.c.id).where(MESSAGES.c.case_id.in_(ids)))
        for table in (EVENTS, SHARES, MESSAGES, CONFIRMATIONS, WATCHES):
            db.session.execute(sa.delete(table).where(table.c.case_id.in_(ids)))
        db.session.execute(
            sa.update(FEEDBACK).where(FEEDBACK.c.case_id.in_(ids)).values(case_id=None)
        )
        db.session.execute(sa.delete(STEPS).where(STEPS.c.case_id.in_(ids)))
        db.session.execute(sa.delete(CASES).where(CASES.c.id.in_(ids)))

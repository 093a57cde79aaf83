"""The audit trail: every view of personal data and every decision, by whom, when, on what."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from contactpoint.audit.append import append
from contactpoint.db import paging
from contactpoint.db.models import AuditEntry, Case
from contactpoint.extensions import db

PAGE_SIZE = 50

# What a supervisor reads in the trail, in the agency's words.
ACTIONS = ("viewed_step", "decided", "assigned", "retried", "sent_now")


def record(
    actor: str,
    role: str,
    agency: str,
    action: str,
    case_id: str | None = None,
    step_id: str | None = None,
    **detail: Any,
) -> AuditEntry:
    """Write one entry at the end of the chain and commit it: nothing is shown or changed
    without its entry."""
    values = {"actor": actor, "role": role, "agency": agency, "action": action,
              "case_id": case_id, "step_id": step_id, "detail": detail}  # fmt: skip
    [entry] = append(db.session, [values])
    db.session.commit()
    return entry


def record_many(actor: str, role: str, action: str, steps: Iterable[tuple[str, str, str]]) -> None:
    """One entry for each (agency, case id, step id), appended together and committed:
    a supervisor's action on a whole queue."""
    entries = [
        {"actor": actor, "role": role, "agency": agency, "action": action,
         "case_id": case_id, "step_id": step_id, "detail": {}}
        for agency, case_id, step_id in steps
    ]  # fmt: skip
    if entries:
        append(db.session, entries)
        db.session.commit()


def deciders(step_ids: Iterable[str]) -> dict[str, str]:
    """Who decided each of these steps (the last decision's actor), by step id."""
    ids = list(step_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(AuditEntry.step_id, AuditEntry.actor)
        .where(AuditEntry.action == "decided", AuditEntry.step_id.in_(ids))
        .order_by(AuditEntry.at, AuditEntry.id)
    ).all()
    return {str(step_id): actor for step_id, actor in rows}


def life_events_of(case_ids: Iterable[str | None]) -> dict[str, str]:
    """The life event of each of these cases, by case id."""
    ids = sorted({case_id for case_id in case_ids if case_id})
    if not ids:
        return {}
    rows = db.session.execute(sa.select(Case.id, Case.life_event).where(Case.id.in_(ids))).all()
    return {case_id: life_event for case_id, life_event in rows}


def trail(
    agency: str, page: int = 1, actor: str | None = None, case_reference: str | None = None
) -> tuple[list[tuple[AuditEntry, str | None]], int, bool]:
    """One agency's entries, newest first, with each case's reference; how many there are,
    up to paging.COUNTED_UP_TO (the trail only grows: every view of personal data adds to
    it), and whether there are more. A page past the last is the last."""
    where = [AuditEntry.agency == agency]
    if actor:
        where.append(AuditEntry.actor == actor)
    if case_reference:
        where.append(
            AuditEntry.case_id.in_(
                sa.select(Case.id).where(Case.reference == case_reference.strip().upper())
            )
        )
    counted = db.session.scalar(paging.count_up_to(sa.select(AuditEntry.id).where(*where)))
    total, more = paging.shown(int(counted or 0))
    page = min(max(page, 1), max(1, -(-total // PAGE_SIZE)))
    rows = db.session.execute(
        sa.select(AuditEntry, Case.reference)
        .outerjoin(Case, Case.id == AuditEntry.case_id)
        .where(*where)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return [(row[0], row[1]) for row in rows], total, more

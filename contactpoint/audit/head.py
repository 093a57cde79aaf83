"""The chain's head, published: a log line every `CONTACTPOINT_AUDIT_HEAD_INTERVAL_S` (sent
by beat) and, at every scrape of `/metrics`, its position and the first digits of its hash.
Kept outside the database (the log store, Prometheus), the heads published over time let
`contactpoint audit verify --published` show a chain rewritten or cut short since."""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from celery import shared_task

from contactpoint.audit.append import Head
from contactpoint.audit.chain import GENESIS
from contactpoint.db.models import AuditCheckpoint, AuditEntry
from contactpoint.extensions import db

log = logging.getLogger(__name__)

TASK = "contactpoint.audit.publish_head"
# How many hex digits of the hash a metric carries: 48 bits, which a float64 holds exactly.
METRIC_DIGITS = 12


def current_head(connection: sa.Connection | Any) -> Head:
    """The chain's last entry as stored; the latest checkpoint's, or the start, when retention
    left no entry. (The head row, which appending locks, is checked against it by `verify`.)"""
    entries, checkpoints = AuditEntry.__table__, AuditCheckpoint.__table__
    for table in (entries, checkpoints):
        row = connection.execute(
            sa.select(table.c.position, table.c.entry_hash)
            .order_by(table.c.position.desc())
            .limit(1)
        ).first()
        if row is not None:
            return Head(int(row.position), str(row.entry_hash))
    return Head(0, GENESIS)


def hash_prefix(digest: str) -> int:
    """The first `METRIC_DIGITS` hex digits of a hash, as the number a metric carries
    (`printf '%012x' <value>` prints them again)."""
    return int(digest[:METRIC_DIGITS], 16)


@shared_task(name=TASK, acks_late=True)
def publish_head() -> dict[str, Any]:
    """Log the chain's head: position and hash (sent by beat)."""
    try:
        head = current_head(db.session)
    finally:
        db.session.rollback()
    log.info("audit trail head: position %d hash %s", head.position, head.entry_hash)
    return {"position": head.position, "hash": head.entry_hash}


def publication_schedule(interval_s: float, queue: str) -> dict[str, Any]:
    """Beat's entry for the head's publication, every `interval_s` seconds on `queue`; one
    not taken within its interval expires, as the other passes do."""
    return {
        "audit-head": {
            "task": TASK,
            "schedule": interval_s,
            "options": {"queue": queue, "expires": max(interval_s, 1.0)},
        }
    }

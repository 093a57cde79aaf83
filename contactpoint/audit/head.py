"""The chain's head: its last entry's position and hash, which `contactpoint audit verify
--published` compares with heads taken earlier."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from contactpoint.audit.append import Head
from contactpoint.audit.chain import GENESIS
from contactpoint.db.models import AuditCheckpoint, AuditEntry


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

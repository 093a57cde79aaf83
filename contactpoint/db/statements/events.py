"""The event buffer: timeline lines and a step's transfer, written at once or at a block's end.

Inside an atomic block (`Transactions.atomic` marks the session: "atomic" in `session.info`)
they wait in the session, the lines under "events" and the transfer under "share".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from contactpoint.db.models import now
from contactpoint.db.statements.connections import run, run_many
from contactpoint.db.statements.json_inserts import (
    as_json,
    insert_lines,
    insert_transfer_once,
    lines_json,
)
from contactpoint.db.statements.people import share_once
from contactpoint.db.statements.tables import EVENTS
from contactpoint.extensions import db

# Lines of a case's timeline (params: case_id, step_id, at, kind, detail).
EVENT = sa.insert(EVENTS).values(
    case_id=sa.bindparam("case_id"),
    step_id=sa.bindparam("step_id"),
    at=sa.bindparam("at", type_=EVENTS.c.at.type),
    kind=sa.bindparam("kind"),
    detail=sa.bindparam("detail", type_=EVENTS.c.detail.type),
)


def add_event(
    case_id: str, step_id: str | None, kind: str, at: dt.datetime | None = None, **detail: Any
) -> None:
    """A line of a case's timeline (no object for the session to track), at `at` or now.

    Inside an atomic block the lines wait for its end and go in together, in order: one
    round trip for all of them.
    """
    row: dict[str, Any] = {"case_id": case_id, "step_id": step_id, "at": at or now()}
    row |= {"kind": kind, "detail": detail}
    info = db.session.info
    if info.get("atomic"):
        info.setdefault("events", []).append(row)
    else:
        run(EVENT, **row)


def gather_share(**row: Any) -> None:
    """A step's transfer in the sharing log, with the basis it rests on (consent unless
    `basis` says otherwise), now (params:
    TRANSFER_COLUMNS but those): inside an atomic block it waits for the block's end, and
    goes in with its timeline lines."""
    transfer = {"basis": "consent", **row, "kind": "transfer", "at": now()}
    if db.session.info.get("atomic"):
        db.session.info["share"] = transfer
    else:
        run(share_once(db.engine.dialect.name), **transfer)


def gathered() -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """Take what an atomic block has gathered so far, its timeline lines and its transfer, to
    write them with a statement of its own (PostgreSQL)."""
    info = db.session.info
    return info.pop("events", None) or [], info.pop("share", None)


def write_events() -> None:
    """Write what an atomic block has gathered, its timeline lines and its transfer, before
    it commits: on PostgreSQL in one statement, elsewhere one for each table."""
    rows, share = gathered()
    dialect = db.engine.dialect.name
    if rows and dialect == "postgresql":
        if share is None:
            run(_LINES, lines=lines_json(rows))
        else:
            run(_LINES_AND_SHARE, lines=lines_json(rows), share=as_json(share))
        return
    if share:
        run(share_once(dialect), **share)
    if rows:
        run_many(EVENT, rows)


def forget_events() -> None:
    """Drop what an atomic block gathered when it rolled back."""
    db.session.info.pop("events", None)
    db.session.info.pop("share", None)


# What an atomic block has gathered, written by itself at the block's end (PostgreSQL): its
# timeline lines (`insert_lines`), and with them a step's transfer once (`insert_transfer_once`).
_LINES = insert_lines()
_LINES_AND_SHARE = insert_lines().add_cte(insert_transfer_once().cte("share"))

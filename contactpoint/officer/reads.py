"""Every read of a step's data at its agency, in the citizen's own sharing log.

The agency's audit trail says which officer read what; the citizen's log says that the
agency read it, in which role (one of its case officers, or its system), when, which step
and why: never who. The reads of one step in one role within one window of
`VIEW_WINDOW_MINUTES` are one entry, which counts them and keeps the latest time.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app

from agencies import clock
from contactpoint.db.models import Step
from contactpoint.db.statements import run
from contactpoint.db.statements.people import view_folded
from contactpoint.extensions import db

# Where the windows are counted from: any fixed moment, so every process agrees on them.
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def window_start(moment: dt.datetime, minutes: int) -> dt.datetime:
    """The start of the window of `minutes` that `moment` falls in (`moment` itself for 0)."""
    if minutes <= 0:
        return moment
    return moment - (moment - EPOCH) % dt.timedelta(minutes=minutes)


def reader_role(role: str) -> str:
    """The role a citizen is told of: the agency's `system`, or an `officer` (a supervisor
    is one too)."""
    return "system" if role == "system" else "officer"


def record_read(step: Step, fields: list[str], role: str) -> None:
    """Write in the person's sharing log that the step's agency read these fields of it, in
    the session's transaction: one statement, which the audit entry's commit ends."""
    moment = clock.now()
    minutes = int(current_app.config["VIEW_WINDOW_MINUTES"])
    run(
        view_folded(db.engine.dialect.name),
        person_id=step.case.person_id,
        case_id=step.case_id,
        step_id=step.id,
        recipient=step.agency,
        role=reader_role(role),
        fields=fields,
        window_start=window_start(moment, minutes),
        at=moment,
    )

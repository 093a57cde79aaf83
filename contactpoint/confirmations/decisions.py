"""A person's yes or no to steps of another person's case that wait for them: the steps go
to their agencies, or end and the citizen who sent the case is told."""

from __future__ import annotations

from typing import Any, Literal

import sqlalchemy as sa

from contactpoint.business.log import record_answer
from contactpoint.db.models import Case, Confirmation, Step, now
from contactpoint.db.statements.events import add_event
from contactpoint.extensions import db
from workflows import (
    OPEN_CASE_STATUSES,
    Ball,
    MessageKind,
    StepReason,
    StepStatus,
    engine,
    runtime,
)
from workflows.confirmations import confirmation_message

Answer = Literal["confirm", "decline"]
# Where a confirmation stands once answered, or when its case ended before it was.
Outcome = Literal["confirmed", "declined", "void"]


def _held(confirmation_id: str) -> sa.ColumnElement[bool]:
    return sa.and_(
        Step.confirmation_id == confirmation_id,
        Step.status == StepStatus.WAITING,
        Step.ball == Ball.PERSON,
    )


def decide(person_id: str, confirmation_id: str, answer: Answer) -> Outcome | None:
    """Record `answer` once; None when the confirmation is not this person's to give. A second
    answer changes nothing and returns the first; a case withdrawn meanwhile makes it `void`."""
    current = runtime.current()
    found = db.session.get(Confirmation, confirmation_id)
    if found is None or found.person_id != person_id:
        db.session.rollback()
        return None
    with current.store.atomic():
        case = current.store.case_state(found.case_id)  # the case locked while it changes
        db.session.refresh(found)
        outcome = _record(found, answer, case is not None and case.status in OPEN_CASE_STATUSES)
    if outcome in ("confirmed", "declined"):  # steps to send now, or a case to close
        engine.advance_or_leave_to_recovery(current.store, current.dispatcher, found.case_id)
    return outcome


def _record(found: Confirmation, answer: Answer, case_open: bool) -> Outcome:
    """The answer's changes, in the caller's transaction."""
    if found.state != "asked":
        return found.state  # type: ignore[return-value]
    moment = now()
    outcome: Outcome = (
        "void" if not case_open else "confirmed" if answer == "confirm" else "declined"
    )
    found.state, found.decided_at = outcome, moment
    held = list(db.session.scalars(sa.select(Step.id).where(_held(found.id))))
    values: dict[str, Any]
    if outcome == "confirmed":
        values = {"status": StepStatus.PENDING, "ball": Ball.AGENCY, "dispatched_at": None}
    elif outcome == "declined":
        values = {
            "status": StepStatus.CANCELLED,
            "ball": Ball.NONE,
            "reason_code": StepReason.DECLINED,
            "finished_at": moment,
        }
    else:
        db.session.flush()
        return outcome
    db.session.execute(sa.update(Step).where(_held(found.id)).values(**values))
    kind = "step_confirmed" if outcome == "confirmed" else "step_declined"
    for step_id in held:
        add_event(found.case_id, step_id, kind, role=found.role)
    db.session.flush()
    case = db.session.get(Case, found.case_id)
    assert case is not None
    record_answer(case, found.person_id, outcome)  # a company's case: in the company's log
    if outcome == "declined":
        notice = confirmation_message(
            MessageKind.DECLINED, found.id, case.person_id, case.id, case.life_event, found.role
        )
        runtime.current().store.post_messages([notice])
    return outcome

"""Submitting a case: validate the answers, store the case and its steps, then start it."""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa

from workflows.lifeevents import LifeEvent, catalogue
from workflows.rules import plan_steps, validate_answers
from workflows.tasks import start_case

from .extensions import db
from .models import Case, CaseEvent, Person, Step, now

log = logging.getLogger(__name__)


class AnswerErrors(ValueError):
    """The answers do not fit the life event; `errors` maps each question to its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("invalid answers")
        self.errors = errors


def life_event_or_none(event_id: str) -> LifeEvent | None:
    """The declared life event with this id."""
    return catalogue().get(event_id)


def submit_case(person: Person, event: LifeEvent, answers: dict[str, Any]) -> Case:
    """Store a consented case with its planned steps, commit, then hand it to the workflow.

    The case is committed before anything is sent, so a broker outage loses nothing.
    """
    clean, errors = validate_answers(event, answers)
    if errors:
        raise AnswerErrors(errors)
    case = Case(person_id=person.id, life_event=event.id, answers=clean, consented_at=now())
    db.session.add(case)
    for position, plan in enumerate(plan_steps(event, clean)):
        not_needed = plan.status == "not_needed"
        case.steps.append(
            Step(
                position=position,
                key=plan.id,
                agency=plan.step.agency,
                status=plan.status,
                ball="none" if not_needed else "agency",
                depends_on=list(plan.depends_on),
                fields=list(plan.fields),
                manual=plan.step.handling == "manual",
                finished_at=now() if not_needed else None,
            )
        )
    case.events.append(CaseEvent(kind="case_submitted", detail={"life_event": event.id}))
    db.session.commit()
    try:
        start_case(case.id)
    except Exception:  # the broker is down: the case is stored and a sweep starts it later
        log.warning("case %s stored; its workflow will start when the broker is back", case.id)
    return case


def cases_of(person: Person) -> list[Case]:
    """A citizen's cases, newest first."""
    return list(
        db.session.scalars(
            sa.select(Case).where(Case.person_id == person.id).order_by(Case.created_at.desc())
        )
    )


def case_of(person: Person, case_id: str) -> Case | None:
    """One of the citizen's own cases; another person's case is None, like a missing one."""
    case = db.session.get(Case, case_id)
    if case is None or case.person_id != person.id:
        return None
    return case

"""Submitting a case: validate the answers, store the case and its steps, then start it."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from workflows.behalf import may_act, represented
from workflows.lifeevents import LifeEvent, catalogue
from workflows.prefill import consent_digest, consent_record, plan_case, sources_for
from workflows.rules import validate_answers
from workflows.tasks import start_case

from .extensions import db
from .i18n import text
from .models import Case, CaseEvent, Person, Step, now
from .prefill import attach_reads, log_reads, resolve_answers

log = logging.getLogger(__name__)


class AnswerErrors(ValueError):
    """The answers do not fit the life event; `errors` maps each question to its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("invalid answers")
        self.errors = errors


def life_event_or_none(event_id: str) -> LifeEvent | None:
    """The declared life event with this id."""
    return catalogue().get(event_id)


def representation_errors(
    person: Person, event: LifeEvent, answers: dict[str, Any]
) -> dict[str, list[str]]:
    """A plain refusal on the question naming the person acted for, when the register says no."""
    acting = event.on_behalf_of
    if acting is None or may_act(acting, answers, person.personal_number):
        return {}
    return {acting.question: [text(acting.refused)]}


class PreviewChanged(ValueError):
    """What would be sent is no longer what the citizen saw and consented to."""


def submit_case(
    person: Person,
    event: LifeEvent,
    answers: dict[str, Any],
    sources: dict[str, Any] | None = None,
    corrections: Iterable[str] = (),
    preview_digest: str | None = None,
) -> Case:
    """Store a consented case with its planned steps, commit, then hand it to the workflow.

    Without `sources` (the API), facts a register knows are read at the source now. The case
    keeps each answer's source and the preview consented to; it is committed before anything
    is sent, so a broker outage loses nothing.
    """
    reads: list[Any] = []
    if sources is None:
        answers, sources, reads = resolve_answers(person, event, answers, corrections)
    clean, errors = validate_answers(event, answers)
    errors = errors or representation_errors(person, event, clean)
    if errors:
        raise AnswerErrors(errors)
    sources = sources_for(event, clean, sources)
    plans = plan_case(event, clean, sources)
    consented = consent_record(plans)
    if preview_digest and preview_digest != consent_digest(consented):
        raise PreviewChanged("the preview changed")
    case = Case(
        person_id=person.id,
        life_event=event.id,
        on_behalf_of=represented(event.on_behalf_of, clean),
        answers=clean,
        sources=sources,
        consented_preview=consented,
        consented_at=now(),
    )
    db.session.add(case)
    for position, plan in enumerate(plans):
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
    db.session.flush()
    log_reads(person, reads, event.id, case.id)
    attach_reads(person, event.id, case.id)
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
            sa.select(Case)
            .where(Case.person_id == person.id)
            .order_by(Case.created_at.desc())
            .options(selectinload(Case.steps))  # one query for every case's steps, not one each
        )
    )


def case_of(person: Person, case_id: str) -> Case | None:
    """One of the citizen's own cases; another person's case is None, like a missing one."""
    case = db.session.get(Case, case_id)
    if case is None or case.person_id != person.id:
        return None
    return case

"""Submitting a case: validate the answers, store the case and its steps, then start it."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from contactpoint.business import log as company_log
from contactpoint.business.cases import company_refusal, company_standing
from contactpoint.citizen.people import not_listed_message, resolve_people
from contactpoint.citizen.prefill import attach_reads, read_rows, resolve_answers
from contactpoint.confirmations.holding import hold_steps
from contactpoint.db.case_records import CaseRecord, case_record, insert_case
from contactpoint.db.models import Case, Person, new_id, now
from contactpoint.db.models.cases import new_case_reference
from contactpoint.extensions import db
from contactpoint.joint import joint_plans
from contactpoint.platform.i18n import text
from workflows import (
    CaseState,
    LifeEvent,
    StepPlan,
    StepState,
    catalogue,
    consent_digest,
    consent_record,
    deadline_reminders,
    engine,
    may_act,
    plan_case,
    proactive,
    represented,
    runtime,
    sources_for,
    validate_answers,
)

log = logging.getLogger(__name__)


class AnswerErrors(ValueError):
    """The answers do not fit the life event; `errors` maps each question to its messages."""

    def __init__(self, errors: dict[str, list[str]], message: str | None = None) -> None:
        super().__init__("invalid answers")
        self.errors = errors
        # One sentence naming the field, for an answer the registers refuse.
        self.message = message


def life_event_or_none(event_id: str) -> LifeEvent | None:
    """The declared life event with this id."""
    return catalogue().get(event_id)


def representation_errors(
    person: Person, event: LifeEvent, answers: dict[str, Any]
) -> dict[str, list[str]]:
    """A plain refusal on the question naming the person acted for, when the register says no."""
    acting = event.on_behalf_of
    if acting is not None and acting.for_company:
        return company_refusal(person, event, answers)
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
) -> CaseRecord:
    """Store a consented case with its planned steps, commit, send its first steps; the case
    as it was written (the answer to the submission).

    Without `sources` (the API), facts a register knows are read at the source now. The case
    keeps each answer's source and the preview consented to; it is committed before anything
    is sent, so a broker outage loses nothing (the recovery sweep sends what never left).
    """
    reads: list[Any] = []
    listed: dict[str, list[dict[str, Any]]] = {}
    journey = sources is not None  # its register reads were logged on the way, for no case yet
    if sources is None:
        answers, sources, reads, listed = resolve_answers(person, event, answers, corrections)
    answers, not_listed = resolve_people(person, event, answers, reads, listed)
    if not_listed:
        raise AnswerErrors(not_listed, not_listed_message(not_listed))
    clean, errors = validate_answers(event, answers)
    errors = errors or representation_errors(person, event, clean)
    if errors:
        raise AnswerErrors(errors)
    sources = sources_for(event, clean, sources)
    for_company = company_standing(person, event, clean)  # None: the case is no company's
    plans, joined = joint_plans(person, event, clean, plan_case(event, clean, sources))
    consented = consent_record(plans)
    if preview_digest and preview_digest != consent_digest(consented):
        raise PreviewChanged("the preview changed")
    case_id, moment = new_id(), now()
    rows = [_step_row(case_id, n, plan, moment) for n, plan in enumerate(plans)]
    subject = represented(event.on_behalf_of, clean)
    held = hold_steps(person, event, plans, clean, subject, rows, moment)
    stored = _as_stored(case_id, event.id, rows)
    ready, status = engine.opening(stored)
    for row in rows:  # the steps that go at once are written claimed
        row["dispatched_at"] = moment if row["id"] in ready else None
    current = runtime.current()
    case_row = {
        "id": case_id,
        "reference": new_case_reference(),
        "person_id": person.id,
        "life_event": event.id,
        "on_behalf_of": subject,
        **({"acting_basis": for_company.basis} if for_company else {}),
        "status": status,
        "answers": clean,
        "sources": sources,
        "consented_preview": consented,
        "consented_at": moment,
        "created_at": moment,
        "updated_at": moment,
        "version": 1,
        "joins": joined.case_id if joined else None,
    }
    line: dict[str, Any] = {
        "case_id": case_id,
        "step_id": None,
        "at": moment,
        "kind": "case_submitted",
    }
    line["detail"] = {"life_event": event.id} | ({"joins": True} if joined else {})
    read_log = read_rows(person, reads, event.id, case_id)
    planned = [(row["id"], row["key"]) for row in rows]
    reminders = deadline_reminders(event, clean, planned, person.id, case_id)
    messages = [*reminders, *held.messages]
    watches = proactive.deadline_watches(event, clean, planned, person.id, case_id)
    alone = bool(ready) and not (journey or messages or watches or for_company)  # nothing else
    with current.store.atomic():  # the case, its steps, its reminders, the claim of its first
        case, steps, submitted = insert_case(case_row, rows, line, read_log, alone)
        if journey:
            attach_reads(person, event.id, case_id)
        held.write(case_id)
        if for_company:
            number, basis = for_company.organisation_number, for_company.basis
            company_log.record(
                number, person, basis, "case_submitted", case_id, life_event=event.id
            )
        if messages:
            current.store.post_messages(messages)
        if watches:
            proactive.current().store.watch_deadlines(watches)
        agency_of = {row["id"]: row["agency"] for row in rows}
        first = [(step_id, agency_of[step_id]) for step_id in ready]
        if not ready:  # every step is not needed: settling closes the case
            first = engine.settle(current.store, case_id, stored)
    try:  # sent only once stored: the web request hands over, the workers do the work
        engine.send(current.store, current.dispatcher, first)
    except Exception:  # the broker is down: the case is stored and a sweep starts it later
        log.warning("case %s stored; its workflow will start when the broker is back", case_id)
    if not ready:  # closed at once: read as committed
        record = case_record(case_id)
        assert record is not None
        return record
    return CaseRecord(case, steps, [submitted])


def _step_row(case_id: str, position: int, plan: StepPlan, moment: dt.datetime) -> dict[str, Any]:
    """A planned step as the row that stores it (every column but the server's defaults)."""
    not_needed = plan.status == "not_needed"
    return {
        "id": new_id(),
        "case_id": case_id,
        "position": position,
        "key": plan.id,
        "agency": plan.step.agency,
        "status": plan.status,
        "ball": "none" if not_needed else "agency",
        "depends_on": list(plan.depends_on),
        "fields": list(plan.fields),
        "manual": plan.step.handling == "manual",
        "attempts": 0,
        "outputs": {},
        "finished_at": moment if not_needed else None,
        "dispatched_at": None,
        "confirmation_id": None,
        "updated_at": moment,
        "version": 1,
    }


def _as_stored(case_id: str, event_id: str, rows: list[dict[str, Any]]) -> CaseState:
    """The new case as its rows were written: settling it needs no read back."""
    steps = tuple(
        StepState(
            row["id"], row["key"], row["agency"], row["status"], tuple(row["depends_on"]), False
        )
        for row in rows
    )
    return CaseState(id=case_id, life_event=event_id, status="received", steps=steps)


def case_of(person: Person, case_id: str) -> Case | None:
    """One of the citizen's own cases; another person's case is None, like a missing one."""
    case = db.session.get(Case, case_id)
    if case is None or case.person_id != person.id:
        return None
    return case

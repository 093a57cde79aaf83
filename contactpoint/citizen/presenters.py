"""What a case and a life event look like to a reader, shared by the pages and the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from agencies.catalogue import describe
from contactpoint.citizen.guidance import acting_for, step_guidance
from contactpoint.db.case_records import CaseRecord
from contactpoint.db.models import Case, Step, utc
from contactpoint.platform.i18n import current_language, in_language, text
from contactpoint.rights import appeal_view, legal_basis_view
from workflows import (
    CONFIRMATION_ROLES,
    DEPENDENCY_FAILED,
    NO_LONGER_APPLIES,
    UNDER_WAY_STEP_STATUSES,
    WITHDRAWN,
    Ball,
    LifeEvent,
    Question,
    StepPlan,
    StepReason,
    StepStatus,
    catalogue,
    declared_step,
    runtime,
    waits_for_retry,
)

# Kontaktpunkt's own reasons for the end of a step, by their code (`Step.reason_code`),
# translated when read.
REASON_TEXTS: dict[str, Any] = {
    DEPENDENCY_FAILED: _l("A step this one needs could not be completed."),
    WITHDRAWN: _l("The case was withdrawn."),
    StepReason.DECLINED: _l("The person who had to confirm it said no."),
    NO_LONGER_APPLIES: _l("After your correction, this step no longer applies."),
}


def retained_until(closed_at: dt.datetime | None) -> dt.datetime | None:
    """When Kontaktpunkt removes a case closed at `closed_at`; None while it is open."""
    return runtime.current().retention.case_kept_until(utc(closed_at))


def agency_name(agency: str, language: str | None = None, in_sentence: bool = False) -> str:
    """An agency's name as citizens know it (with a small letter inside a sentence if need be)."""
    found = describe(agency)
    if found is None:
        return agency
    name = text(found.name, language)
    if in_sentence and found.common_noun:
        return name[:1].lower() + name[1:]
    return name


def agency_role(agency: str, language: str | None = None) -> str:
    """What an agency does, in a few plain words."""
    found = describe(agency)
    return text(found.role, language) if found else ""


def reason_text(step: Step | Any, language: str | None = None) -> str | None:
    """Why a step ended as it did, in the reader's language: Kontaktpunkt's own reason from
    its code, else the agency's or the officer's words as they wrote them."""
    code = step.reason_code
    if code in REASON_TEXTS:
        with in_language(language):
            return str(REASON_TEXTS[code])
    if code:
        return code
    return step.status_reason


def case_ball(case: Case | CaseRecord) -> str:
    """Who must act now on the case: a waiting step's ball first, then any open step's."""
    waiting = [step.ball for step in case.steps if step.status == StepStatus.WAITING]
    if Ball.CITIZEN in waiting:
        return Ball.CITIZEN
    if any(step.status in UNDER_WAY_STEP_STATUSES for step in case.steps):
        return Ball.AGENCY
    return Ball.NONE


def waits_for_citizen(step: Step) -> bool:
    """The step waits for the citizen to answer an agency's question."""
    return step.status == StepStatus.WAITING and step.ball == Ball.CITIZEN


def next_attempt(step: Step | Any) -> dt.datetime | None:
    """When a step waiting for a retry is tried again; None for any other step."""
    moment = utc(step.next_attempt_at)
    return moment if waits_for_retry(step.status, moment) else None


def step_view(
    step: Step | Any, case: Case | Any, event: LifeEvent | None, language: str | None = None
) -> dict[str, Any]:
    """One step of `case` as the citizen sees it (an ORM step or a row of one)."""
    language = language or current_language()
    declared = declared_step(event, step.key)
    return {
        "id": step.id,
        "key": step.key,
        "title": text(declared.title, language) if declared else step.key,
        "reason": text(declared.reason, language) if declared else "",
        "agency": step.agency,
        "agency_name": agency_name(step.agency, language),
        "status": step.status,
        "ball": step.ball,
        "status_reason": reason_text(step, language),
        "reason_code": step.reason_code,
        "agency_reference": step.agency_reference,
        "question": step.complement_question if waits_for_citizen(step) else None,
        "outcome": step.outcome,
        "depends_on": list(step.depends_on),
        "fields_": list(step.fields),
        "updated_at": utc(step.updated_at),
        "next_attempt_at": next_attempt(step),
        "on_behalf_of": case.on_behalf_of,
        "legal_basis": legal_basis_view(declared, language),
        "appeal": appeal_view(declared, agency_name(step.agency, language), language)
        if step.outcome == "rejected"
        else None,
        **step_guidance(declared, case.answers, language),
    }


def case_view(
    case: Case | CaseRecord, language: str | None = None, timeline: bool = True
) -> dict[str, Any]:
    """A case with its steps (and timeline), for the API and My pages."""
    language = language or current_language()  # once, not for every text of every step
    event = catalogue().get(case.life_event)
    view: dict[str, Any] = {
        "id": case.id,
        "reference": case.reference,
        "life_event": case.life_event,
        "title": text(event.title, language) if event else case.life_event,
        "status": case.status,
        "ball": case_ball(case),
        "created_at": utc(case.created_at),
        "closed_at": utc(case.closed_at),
        "retained_until": retained_until(case.closed_at),
        "on_behalf_of": acting_for(case.on_behalf_of),
        "steps": [step_view(step, case, event, language) for step in case.steps],
    }
    if timeline:
        view["timeline"] = [
            {"at": utc(e.at), "kind": e.kind, "step_id": e.step_id, "detail": e.detail}
            for e in case.events
        ]
    return view


def _window_view(question: Question, language: str | None) -> dict[str, Any] | None:
    """The dates a date question accepts, counted from today, and the rule behind them."""
    found = question.window
    if found is None:
        return None
    return {
        "days_before": found.days_before,
        "days_after": found.days_after,
        "reason": text(found.reason, language),
    }


def question_view(question: Question, language: str | None = None) -> dict[str, Any]:
    """A question as the open catalogue shows it."""
    return {
        "id": question.id,
        "type": question.type,
        "text": text(question.text, language),
        "hint": text(question.hint, language) if question.hint else None,
        "group": question.group,
        "when": question.when.as_dict() if question.when else None,
        "window": _window_view(question, language),
        "people_from": question.people_from,
        "options": [
            {"value": option.value, "text": text(option.text, language)}
            for option in question.options
        ],
    }


def life_event_summary(event: LifeEvent, language: str | None = None) -> dict[str, Any]:
    """A life event in the catalogue list."""
    return {
        "id": event.id,
        "title": text(event.title, language),
        "description": text(event.description, language),
        "agencies": sorted({step.agency for step in event.steps}),
    }


def life_event_view(event: LifeEvent, language: str | None = None) -> dict[str, Any]:
    """A life event with its questions, steps and rules, for the open API."""
    view = life_event_summary(event, language)
    view["questions"] = [question_view(q, language) for q in event.questions]
    view["pages"] = {group: text(title, language) for group, title in event.page_titles.items()}
    view["steps"] = [
        {
            "id": step.id,
            "agency": step.agency,
            "agency_name": agency_name(step.agency, language),
            "municipality": step.municipality,
            "title": text(step.title, language),
            "reason": text(step.reason, language),
            "fields": list(step.fields),
            "depends_on": list(step.depends_on),
            "when": step.when.as_dict() if step.when else None,
            "action": step.action,
            "handling": step.handling,
            "produces": list(step.produces),
            "next_step": text(step.next_step, language) if step.next_step else None,
            "deadline": step.deadline.as_dict() if step.deadline else None,
            "legal_basis": step.legal_basis.as_dict() if step.legal_basis else None,
            "appeal": step.appeal.as_dict() if step.appeal else None,
        }
        for step in event.steps
    ]
    acting = event.on_behalf_of
    view["on_behalf_of"] = acting.as_dict() if acting else None
    view["example_answers"] = dict(event.example_answers)
    view["example_person"] = event.example_person
    return view


def plan_view(
    plan: StepPlan, language: str | None = None, answers: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """A step that would apply, exactly the fields its agency would receive, its next step."""
    return {
        "id": plan.id,
        "agency": plan.step.agency,
        "agency_name": agency_name(plan.step.agency, language),
        "title": text(plan.step.title, language),
        "reason": text(plan.step.reason, language),
        "status": plan.status,
        "depends_on": list(plan.depends_on),
        "fields": list(plan.fields),
        "legal_basis": legal_basis_view(plan.step, language or current_language()),
        **step_guidance(plan.step, answers or {}, language),
        "confirmed_by": confirmation_note(plan.step.confirmed_by, plan.status, language),
    }


def confirmation_note(role: str | None, status: str, language: str | None) -> str | None:
    """That a step is sent only once another person has confirmed it (`confirmed_by`)."""
    found = CONFIRMATION_ROLES.get(role or "")
    if found is None or status == StepStatus.NOT_NEEDED:
        return None
    with in_language(language):
        return _("It is sent when %(role)s has confirmed it.", role=text(found.text, language))

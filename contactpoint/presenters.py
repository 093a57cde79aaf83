"""What a case and a life event look like to a reader, shared by the pages and the API."""

from __future__ import annotations

from typing import Any

from agencies.catalogue import AGENCIES
from workflows.lifeevents import LifeEvent, Question, catalogue
from workflows.rules import StepPlan

from .i18n import text
from .models import Case, Step

OPEN_STEP_STATUSES = ("pending", "running", "waiting")


def agency_name(agency: str, language: str | None = None) -> str:
    """An agency's name as citizens know it."""
    return text(AGENCIES[agency].name, language) if agency in AGENCIES else agency


def case_ball(case: Case) -> str:
    """Who must act now on the case: a waiting step's ball first, then any open step's."""
    waiting = [step.ball for step in case.steps if step.status == "waiting"]
    if "citizen" in waiting:
        return "citizen"
    if any(step.status in OPEN_STEP_STATUSES for step in case.steps):
        return "agency"
    return "none"


def step_view(step: Step, event: LifeEvent | None, language: str | None = None) -> dict[str, Any]:
    """One step as the citizen sees it."""
    declared = next((s for s in event.steps if s.id == step.key), None) if event else None
    return {
        "id": step.id,
        "key": step.key,
        "title": text(declared.title, language) if declared else step.key,
        "reason": text(declared.reason, language) if declared else "",
        "agency": step.agency,
        "agency_name": agency_name(step.agency, language),
        "status": step.status,
        "ball": step.ball,
        "status_reason": step.status_reason,
        "agency_reference": step.agency_reference,
        "depends_on": list(step.depends_on),
        "fields_": list(step.fields),
        "updated_at": step.updated_at,
    }


def case_view(case: Case, language: str | None = None, timeline: bool = True) -> dict[str, Any]:
    """A case with its steps (and timeline), for the API and My pages."""
    event = catalogue().get(case.life_event)
    view: dict[str, Any] = {
        "id": case.id,
        "reference": case.reference,
        "life_event": case.life_event,
        "title": text(event.title, language) if event else case.life_event,
        "status": case.status,
        "ball": case_ball(case),
        "created_at": case.created_at,
        "closed_at": case.closed_at,
        "steps": [step_view(step, event, language) for step in case.steps],
    }
    if timeline:
        view["timeline"] = [
            {"at": e.at, "kind": e.kind, "step_id": e.step_id, "detail": e.detail}
            for e in case.events
        ]
    return view


def question_view(question: Question, language: str | None = None) -> dict[str, Any]:
    """A question as the open catalogue shows it."""
    return {
        "id": question.id,
        "type": question.type,
        "text": text(question.text, language),
        "hint": text(question.hint, language) if question.hint else None,
        "group": question.group,
        "when": question.when.as_dict() if question.when else None,
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
    view["steps"] = [
        {
            "id": step.id,
            "agency": step.agency,
            "agency_name": agency_name(step.agency, language),
            "title": text(step.title, language),
            "reason": text(step.reason, language),
            "fields": list(step.fields),
            "depends_on": list(step.depends_on),
            "when": step.when.as_dict() if step.when else None,
            "action": step.action,
            "handling": step.handling,
        }
        for step in event.steps
    ]
    view["example_answers"] = dict(event.example_answers)
    view["example_person"] = event.example_person
    return view


def plan_view(plan: StepPlan, language: str | None = None) -> dict[str, Any]:
    """A step that would apply, and exactly the fields its agency would receive."""
    return {
        "id": plan.id,
        "agency": plan.step.agency,
        "agency_name": agency_name(plan.step.agency, language),
        "title": text(plan.step.title, language),
        "reason": text(plan.step.reason, language),
        "status": plan.status,
        "depends_on": list(plan.depends_on),
        "fields": list(plan.fields),
    }

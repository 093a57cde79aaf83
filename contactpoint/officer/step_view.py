"""A case officer's view of a step, shared by the pages and the API, and the note that it was
seen.

An agency sees its own step whole: the fields it received and, only if the step declares
them, the citizen's name and personal identity number. Of the other agencies' steps it sees
the shared status (agency, status, ball, dates) and nothing of their data.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from contactpoint.business.cases import acting_for_case
from contactpoint.citizen.field_labels import field_label
from contactpoint.citizen.presenters import agency_name, next_attempt, reason_text
from contactpoint.db.models import DataShare, Person, Step, now, utc
from contactpoint.extensions import db
from contactpoint.officer import audit, reads
from contactpoint.officer.staff import officer as staff_officer
from contactpoint.platform.i18n import current_language, format_number, in_language, text
from workflows import (
    PERSON_FIELDS,
    Ball,
    LifeEvent,
    Question,
    StepStatus,
    catalogue,
    declared_step,
)

# What an agency may read of a timeline entry about its own step.
OWN_DETAIL = ("reason", "code", "reference", "actor", "question", "retry_at")


def _label(event: Any, name: str, language: str) -> str:
    return field_label(name, event, language).rstrip("?")


def _value(question: Question | None, value: Any, language: str) -> str:
    """A received value as the officer reads it: a choice by its words, not its code."""
    if question is not None and question.type in ("one_of", "several_of", "municipality"):
        words = {option.value: text(option.text, language) for option in question.options}
        chosen = value if isinstance(value, list) else [value]
        return ", ".join(words.get(str(item), str(item)) for item in chosen if item is not None)
    if isinstance(value, dict):
        return ", ".join(str(part) for part in value.values() if part)
    if isinstance(value, list):
        return ", ".join(str(part) for part in value)
    if isinstance(value, bool):
        with in_language(language):
            return _("Yes") if value else _("No")
    if isinstance(value, int | float):
        return format_number(value, language)
    return "" if value is None else str(value)


def _in_question_order(names: list[str], event: LifeEvent | None) -> list[str]:
    """The person's own fields first, then the answers in the order the life event asks."""
    asked = [q.id for q in event.questions] if event else []

    def place(name: str) -> tuple[int, int]:
        if name in PERSON_FIELDS:
            return 0, PERSON_FIELDS.index(name)
        return (1, asked.index(name)) if name in asked else (2, names.index(name))

    return sorted(names, key=place)


def received_fields(step: Step, language: str | None = None) -> list[dict[str, Any]]:
    """The fields this agency received for the step, with their values; none before it was sent."""
    share = db.session.scalar(
        sa.select(DataShare).where(DataShare.step_id == step.id, DataShare.kind == "transfer")
    )
    if share is None:
        return []
    language = language or current_language()
    case = step.case
    event = catalogue().get(case.life_event)
    names = _in_question_order([n for n in share.fields if n in step.fields], event)
    questions = {q.id: q for q in event.questions} if event else {}
    person: dict[str, Any] = {}
    if any(name in PERSON_FIELDS for name in names):
        found = db.session.get(Person, case.person_id)
        person = {"name": found.name, "personal_number": found.personal_number} if found else {}
    produced: dict[str, Any] = {}
    for other in case.steps:
        if other.key in step.depends_on:
            produced.update(other.outputs or {})
    values = {**produced, **case.answers, **person}
    return [
        {
            "name": name,
            "label": _label(event, name, language),
            "value": _value(questions.get(name), values.get(name), language),
            "raw": values.get(name),
        }
        for name in names
    ]


def step_detail(step: Step, language: str | None = None) -> dict[str, Any]:
    """The step as its agency sees it, the shared status of the case, and the timeline."""
    case = step.case
    event = catalogue().get(case.life_event)

    def title(key: str) -> str:  # a correction's step too: "Correction: …"
        found = declared_step(event, key)
        return text(found.title, language) if found else key

    moment = now()
    assignee = staff_officer(step.assigned_to)
    own_ids = {other.id for other in case.steps if other.agency == step.agency}
    fields = received_fields(step, language)
    return {
        "id": step.id,
        "key": step.key,
        "title": title(step.key),
        "agency": step.agency,
        "case_id": case.id,
        "case_reference": case.reference,
        "life_event": case.life_event,
        "life_event_title": text(event.title, language) if event else case.life_event,
        "manual": step.manual,
        "status": step.status,
        "ball": step.ball,
        "outcome": step.outcome,
        "received_at": utc(step.started_at),
        "due_at": utc(step.due_at),
        "overdue": bool(
            step.due_at
            and step.status == StepStatus.WAITING
            and step.ball == "agency"
            and utc(step.due_at) < moment  # type: ignore[operator]
        ),
        "finished_at": utc(step.finished_at),
        "updated_at": utc(step.updated_at),
        "retry_at": utc(step.retry_at),
        "next_attempt_at": next_attempt(step),
        "assigned_to": step.assigned_to,
        "assigned_name": assignee.name if assignee else step.assigned_to,
        "decided_by": audit.deciders([step.id]).get(step.id),
        "agency_reference": step.agency_reference,
        "status_reason": reason_text(step, language),
        "reason_code": step.reason_code,
        "complement_question": step.complement_question,
        "complement_answer": step.complement_answer,
        "decidable": step.status == StepStatus.WAITING and step.ball == Ball.AGENCY,
        "citizen": {f["name"]: f["value"] for f in fields if f["name"] in PERSON_FIELDS},
        "company": acting_for_case(case, language),
        "fields": [f for f in fields if f["name"] not in PERSON_FIELDS],
        "case_steps": [
            {
                "id": other.id if other.id in own_ids else None,
                "agency": other.agency,
                "agency_name": agency_name(other.agency, language),
                "title": title(other.key),
                "status": other.status,
                "ball": other.ball,
                "next_attempt_at": next_attempt(other),
                "started_at": utc(other.started_at),
                "finished_at": utc(other.finished_at),
                "updated_at": utc(other.updated_at),
                "this_step": other.id == step.id,
            }
            for other in case.steps
        ],
        "timeline": [
            {
                "at": utc(entry.at),
                "kind": entry.kind,
                "agency": (entry.detail or {}).get("agency"),
                "detail": {
                    key: value
                    for key, value in (entry.detail or {}).items()
                    if entry.step_id in own_ids and key in OWN_DETAIL
                },
            }
            for entry in case.events
        ],
    }


def record_view(step: Step, detail: dict[str, Any], actor: str, role: str) -> None:
    """Note that personal data of this step was shown, and which: in the agency's audit trail
    and in the citizen's sharing log, committed together."""
    shown = sorted([*detail["citizen"], *(f["name"] for f in detail["fields"])])
    reads.record_read(step, shown, role)
    audit.record(actor, role, step.agency, "viewed_step", step.case_id, step.id, fields=shown)

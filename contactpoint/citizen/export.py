"""Everything held about a citizen, as one JSON document another service can read.

The structure is documented by `contactpoint/schemas/export.schema.json` (JSON Schema).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from contactpoint.business.export import powers_export
from contactpoint.citizen.presenters import retained_until, step_view
from contactpoint.citizen.sharing import answers_view, data_shares
from contactpoint.db import mailbox
from contactpoint.db.models import Case, Draft, Feedback, Person, now
from contactpoint.extensions import db
from contactpoint.messages.presenters import message_view
from contactpoint.notifications.contact import contact_of
from contactpoint.platform.i18n import text
from workflows import catalogue

SCHEMA_PATH = Path(__file__).parent / "schemas" / "export.schema.json"
FORMAT = "kontaktpunkt-export"
# 2: each case says when it is removed (`retained_until`); 3: `reason_code`; 4: the sharing
# log's reads at agencies (`kind` `view`, with `role` and `times`); 5: the mailbox (`mailbox`);
# 6: the e-mail address for notifications (`contact`); 7: each step's `legal_basis` and, on a
# rejection, how to `appeal`; a transfer's `statute`; corrections' steps and timeline lines
# 8: powers of attorney for companies (`powers_of_attorney`)
VERSION = 8


def export_schema() -> dict[str, Any]:
    """The JSON Schema of the export."""
    return dict(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def plain(value: Any) -> Any:
    """Dates and times as ISO 8601 text, all the way down."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def case_export(case: Case, language: str) -> dict[str, Any]:
    """One case: its answers with their sources, what was consented to, steps and timeline."""
    event = catalogue().get(case.life_event)
    steps = []
    for step in case.steps:
        view = step_view(step, case, event, language)
        steps.append(
            {
                "id": step.id,
                "key": step.key,
                "title": view["title"],
                "agency": step.agency,
                "status": step.status,
                "ball": step.ball,
                "fields": list(step.fields),
                "agency_reference": step.agency_reference,
                "status_reason": view["status_reason"],
                "reason_code": step.reason_code,
                "outcome": step.outcome,
                "started_at": step.started_at,
                "finished_at": step.finished_at,
                "legal_basis": view["legal_basis"],
                "appeal": view["appeal"],
            }
        )
    answers = answers_view(event, case.answers or {}, case.sources or {}, language)
    return {
        "id": case.id,
        "reference": case.reference,
        "life_event": case.life_event,
        "title": text(event.title, language) if event else case.life_event,
        "status": case.status,
        "on_behalf_of": case.on_behalf_of,
        "created_at": case.created_at,
        "consented_at": case.consented_at,
        "closed_at": case.closed_at,
        "retained_until": retained_until(case.closed_at),
        "answers": [
            {"question": a["question"], "text": a["text"], "value": a["value"]}
            | {"source": a["source"]}
            for a in answers
        ],
        "consented_preview": dict(case.consented_preview or {}),
        "steps": steps,
        "timeline": [
            {"at": e.at, "kind": e.kind, "step_id": e.step_id, "detail": dict(e.detail or {})}
            for e in case.events
        ],
    }


def messages_of(cases: list[Case]) -> list[dict[str, Any]]:
    """What agencies asked the citizen, and what the citizen answered."""
    messages = []
    for case in cases:
        for step in case.steps:
            for sender, body in (
                ("agency", step.complement_question),
                ("citizen", step.complement_answer),
            ):
                if body:
                    messages.append(
                        {"case_id": case.id, "step_id": step.id, "agency": step.agency}
                        | {"from": sender, "text": body}
                    )
    return messages


def mailbox_export(person: Person, language: str) -> list[dict[str, Any]]:
    """The messages in the person's mailbox, newest first, as they read them."""
    exported = []
    for row in mailbox.messages_of(person.id):
        view = message_view(row, language)
        fields = ("id", "kind", "title", "text", "created_at", "read_at", "case_id", "step_id")
        action = view["action"]
        exported.append(
            {name: view[name] for name in fields} | {"action": action and action["type"]}
        )
    return exported


def contact_export(person_id: str) -> dict[str, Any] | None:
    """The e-mail address for notifications, if one was given, and what is known of it."""
    contact = contact_of(person_id)
    if contact is None:
        return None
    return {
        "email": contact.email,
        "language": contact.language,
        "verified_at": contact.verified_at,
        "refused_at": contact.refused_at,
        "muted_kinds": list(contact.muted_kinds or []),
        "updated_at": contact.updated_at,
    }


def export_person(person: Person, language: str) -> dict[str, Any]:
    """The whole export for one citizen."""
    cases = list(
        db.session.scalars(
            sa.select(Case).where(Case.person_id == person.id).order_by(Case.created_at.desc())
        )
    )
    drafts = db.session.scalars(sa.select(Draft).where(Draft.person_id == person.id)).all()
    case_ids = [case.id for case in cases]
    feedback = db.session.scalars(sa.select(Feedback).where(Feedback.case_id.in_(case_ids))).all()
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "schema": "/api/v1/me/export/schema",
        "exported_at": now(),
        "language": language,
        "profile": {
            "id": person.id,
            "personal_number": person.personal_number,
            "name": person.name,
            "created_at": person.created_at,
        },
        "cases": [case_export(case, language) for case in cases],
        "drafts": [
            {"life_event": d.life_event, "answers": dict(d.answers or {})}
            | {"sources": dict(d.sources or {}), "updated_at": d.updated_at}
            for d in drafts
        ],
        "messages": messages_of(cases),
        "mailbox": mailbox_export(person, language),
        "contact": contact_export(person.id),
        "powers_of_attorney": powers_export(person),
        "data_shares": data_shares(person, language=language),
        "feedback": [
            {"life_event": f.life_event, "case_id": f.case_id, "ease": f.ease}
            | {"comment": f.comment, "language": f.language, "at": f.at}
            for f in feedback
        ],
    }
    return dict(plain(document))

"""What is shared, as the citizen reads it: answers with their sources, the preview, the log."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from contactpoint.citizen.field_labels import field_label
from contactpoint.citizen.prefill import READ_BASIS, register_name
from contactpoint.citizen.presenters import agency_name, case_view
from contactpoint.db.case_records import CaseRecord
from contactpoint.db.models import Case, DataShare, Person, utc
from contactpoint.db.statements.people import VIEW_BASIS
from contactpoint.extensions import db
from contactpoint.platform.i18n import current_language, text
from contactpoint.rights import legal_basis_view
from workflows import (
    PERSON_FIELDS,
    LifeEvent,
    Question,
    StepPlan,
    StepStatus,
    catalogue,
    consent_digest,
    consent_record,
    declared_step,
    field_values,
)
from workflows.people import derived_text

Display = Callable[[Question, Any], str]


def source_text(source: Mapping[str, Any] | None, language: str | None = None) -> str:
    """Where an answer came from, in plain words."""
    source = source or {"kind": "citizen"}
    register = register_name(str(source.get("register", "")), language)
    if source.get("kind") == "register":
        return _("From %(register)s", register=register)
    if source.get("kind") == "self_reported":
        if source.get("reason") == "register_unavailable":
            return _("Given by you: %(register)s did not answer", register=register)
        if source.get("reason") == "disputed":
            return _("Given by you: you said %(register)s is wrong", register=register)
        return _("Given by you, instead of what %(register)s holds", register=register)
    if source.get("reused_from"):
        return _("Given by you in an earlier case (%(case)s)", case=source["reused_from"])
    return _("Given by you")


def answers_view(
    event: LifeEvent | None,
    answers: Mapping[str, Any],
    sources: Mapping[str, Any],
    language: str | None = None,
) -> list[dict[str, Any]]:
    """Each answer with its question's text and its source, in the life event's order.

    A case has a dozen answers from a handful of sources: each source is put in words once.
    """
    questions = {q.id: (index, q) for index, q in enumerate(event.questions)} if event else {}
    keys = sorted(
        answers, key=lambda key: questions[key][0] if key in questions else len(questions)
    )
    language = language or current_language()
    said: dict[tuple[tuple[str, str], ...], str] = {}

    def said_of(source: Mapping[str, Any] | None) -> str:
        key = tuple(sorted((name, str(value)) for name, value in (source or {}).items()))
        if key not in said:
            said[key] = source_text(source, language)
        return said[key]

    return [
        {
            "question": key,
            "text": text(questions[key][1].text, language) if key in questions else key,
            "value": answers[key],
            "source": {**(sources.get(key) or {"kind": "citizen"})},
            "source_text": said_of(sources.get(key)),
        }
        for key in keys
    ]


def citizen_case_view(case: Case | CaseRecord, language: str | None = None) -> dict[str, Any]:
    """A case as its citizen reads it: steps, timeline, answers with sources, the consent."""
    event = catalogue().get(case.life_event)
    view = case_view(case, language)
    view["answers"] = answers_view(event, case.answers or {}, case.sources or {}, language)
    view["consented_preview"] = dict(case.consented_preview or {})
    return view


def preview_view(
    event: LifeEvent,
    plans: list[StepPlan],
    answers: Mapping[str, Any],
    sources: Mapping[str, Any],
    person: Person,
    language: str | None = None,
    display: Display | None = None,
) -> dict[str, Any]:
    """Per agency: each step, why, and exactly the fields (with values) it will receive."""
    own = {"personal_number": person.personal_number, "name": person.name}
    agencies: dict[str, dict[str, Any]] = {}
    for plan in plans:
        values = field_values(plan.fields, answers, own, {})
        fields = []
        for name in plan.fields:
            question = next((q for q in event.questions if q.id == name), None)
            value = values.get(name)
            shown = display(question, value) if display and question else value
            if name in PERSON_FIELDS:
                origin = _("From your login")
            elif derived_text(name) is not None:  # a part of the people chosen, by name
                shown = ", ".join(str(member.get("name")) for member in value or [])
                origin = source_text({"kind": "register", "register": "population"}, language)
            elif question is None:
                origin = _("Given by the step it waits for")
                shown = _("Not known yet")
            else:
                origin = source_text(sources.get(name), language)
            fields.append(
                {"name": name, "label": field_label(name, event, language, yours=True)}
                | {"value": value}
                | {"display": shown, "source_text": origin}
            )
        entry = agencies.setdefault(
            plan.step.agency,
            {"agency": plan.step.agency, "agency_name": agency_name(plan.step.agency, language)}
            | {"steps": []},
        )
        entry["steps"].append(
            {
                "id": plan.id,
                "title": text(plan.step.title, language),
                "reason": text(plan.step.reason, language),
                "sent": plan.status != StepStatus.NOT_NEEDED,
                "fields": fields,
            }
        )
    record = consent_record(plans)
    return {
        "agencies": list(agencies.values()),
        "consent": record,
        "digest": consent_digest(record),
    }


def basis_text(basis: str) -> str:
    """On what basis data moved or was read, in plain words."""
    if basis == READ_BASIS:
        return _("Collected for your case, so that you are not asked again")
    if basis == "consent":
        return _("Your consent before you sent the case")
    if basis == VIEW_BASIS:
        return _("To work on your case")
    return basis


def share_view(share: DataShare, case: Case | None, language: str | None = None) -> dict[str, Any]:
    """One sharing-log entry: who (for a view, the agency and the reader's role, never the
    person), which fields (names, never values), when, why."""
    event = catalogue().get(share.life_event or (case.life_event if case else ""))
    step = next((s for s in case.steps if s.id == share.step_id), None) if case else None
    declared = declared_step(event, step.key) if step is not None else None
    view = {
        "id": share.id,
        "at": utc(share.at),
        "kind": share.kind,
        "agency": share.recipient,
        "agency_name": agency_name(share.recipient, language),
        "register": share.register,
        "register_name": register_name(share.register, language) if share.register else None,
        "fields": list(share.fields),
        "field_labels": [
            field_label(f, event, language, register=share.register, yours=True)
            for f in share.fields
        ],
        "case_id": share.case_id,
        "case_reference": case.reference if case else None,
        "life_event": event.id if event else share.life_event,
        "step_id": share.step_id,
        "step_key": step.key if step else None,
        "step_title": text(declared.title, language) if declared else None,
        "basis": share.basis,
        "basis_text": basis_text(share.basis),
        "statute": None,
        "reference": share.reference,
        "role": share.role,
        "times": share.times,
    }
    law = legal_basis_view(declared, language or current_language())
    if share.basis == "law" and law:  # the law named, instead of consent
        view["basis_text"], view["statute"] = law["text"], law["statute"]
    return view


def data_shares(
    person: Person, agency: str | None = None, language: str | None = None
) -> list[dict[str, Any]]:
    """The citizen's sharing log, newest first, optionally for one agency."""
    query = sa.select(DataShare).where(DataShare.person_id == person.id)
    if agency:
        query = query.where(DataShare.recipient == agency)
    shares = db.session.scalars(query.order_by(DataShare.at.desc(), DataShare.id.desc())).all()
    ids = {share.case_id for share in shares if share.case_id}
    cases = {c.id: c for c in db.session.scalars(sa.select(Case).where(Case.id.in_(ids)))}
    return [share_view(s, cases.get(s.case_id or ""), language) for s in shares]

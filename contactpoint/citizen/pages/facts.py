"""Once only in the journey: facts shown with their source, disputed, or reused on request."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, redirect, url_for
from flask_babel import gettext as _

from contactpoint.auth import login_required
from contactpoint.citizen.pages.answers import display_answer
from contactpoint.citizen.pages.route import next_page
from contactpoint.citizen.prefill import (
    offers,
    prefill_draft,
    record_typed,
    register_agency_name,
    register_name,
)
from contactpoint.citizen.sharing import preview_view, source_text
from contactpoint.db.models import Draft, utc
from contactpoint.extensions import db
from contactpoint.joint import first_report, joint_plans, recent_repeat
from contactpoint.platform.form_actions import form_action
from contactpoint.platform.i18n import current_language
from workflows import LifeEvent, Question, StepPlan, catalogue, clean_answer, dispute, plan_case
from workflows.joint import reported_by

bp = Blueprint("facts", __name__, url_prefix="/life-events")


def split_facts(draft: Draft, questions: list[Question]) -> tuple[list[Question], list[Question]]:
    """A page's questions to ask, and those a register answered (shown, not asked)."""
    sources = draft.sources or {}
    known = [q for q in questions if (sources.get(q.id) or {}).get("kind") == "register"]
    return [q for q in questions if q not in known], known


def after_page(event: LifeEvent, draft: Draft, answered: list[Question]) -> None:
    """The citizen answered a page: note the sources, then read what now applies."""
    record_typed(draft, [q.id for q in answered])
    prefill_draft(g.person, event, draft)


def source_notes(questions: list[Question], sources: dict[str, Any]) -> dict[str, str]:
    """Why the citizen is asked what a register usually answers, by question."""
    notes = {}
    for question in questions:
        source = sources.get(question.id) or {}
        if source.get("kind") != "self_reported":
            continue
        register = register_name(source.get("register", ""))
        if source.get("reason") == "disputed":
            notes[question.id] = _(
                "You said that %(register)s has this wrong. Give the right answer: it is "
                "marked as given by you.",
                register=register,
            )
        else:
            notes[question.id] = _(
                "Right now %(register)s does not answer, so we ask you. Your answer is marked "
                "as given by you.",
                register=register,
            )
    return notes


def page_extras(
    event: LifeEvent, draft: Draft, facts: list[Question], questions: list[Question]
) -> dict[str, Any]:
    """What a question page shows besides its inputs: known facts and earlier answers."""
    answers = dict(draft.answers)
    sources = dict(draft.sources or {})
    return {
        "facts": facts,
        "answers": answers,
        "sources": sources,
        "notes": source_notes(questions, sources),
        "offers": offers(g.person, event, answers),
        "display_answer": display_answer,
        "source_text": source_text,
        "register_name": register_name,
        "register_agency_name": register_agency_name,
    }


def check_plans(event: LifeEvent, draft: Draft, clean: dict[str, Any]) -> list[StepPlan]:
    """The steps of the case as it stands, correction requests included; of a death or a
    birth another person has reported, only those left to this person."""
    plans, _first = joint_plans(
        g.person, event, clean, plan_case(event, clean, draft.sources or {})
    )
    return plans


def check_extras(
    event: LifeEvent, draft: Draft, clean: dict[str, Any], plans: list[StepPlan]
) -> dict[str, Any]:
    """The check page's preview: per step, each field, its value and its source."""
    sources = dict(draft.sources or {})
    preview = preview_view(event, plans, clean, sources, g.person, display=display_answer)
    receives = {
        step["id"]: step["fields"] for agency in preview["agencies"] for step in agency["steps"]
    }
    first = first_report(g.person, event, clean)
    repeat = recent_repeat(g.person, event)
    return {
        "sources": sources,
        "source_text": source_text,
        "receives": receives,
        "digest": preview["digest"],
        "reported_by": reported_by(first.relation, current_language()) if first else None,
        "repeat": {
            "id": repeat.id,
            "reference": repeat.reference,
            "created_at": utc(repeat.created_at),
        }
        if repeat
        else None,
    }


def _page_of(event: LifeEvent, question: Question) -> str:
    return question.group or question.id


def _journey(event_id: str, question_id: str) -> str:
    """Where the forms about a fact are: the journey, resumed where it stands."""
    return url_for("journey.begin", event_id=event_id)


def _draft_and_question(event_id: str, question_id: str) -> tuple[LifeEvent, Draft, Question]:
    event = catalogue().get(event_id)
    if event is None or not any(q.id == question_id for q in event.questions):
        abort(404)
    draft = db.session.query(Draft).filter_by(person_id=g.person.id, life_event=event.id).first()
    if draft is None:
        abort(404)
    return event, draft, event.question(question_id)


@bp.route("/<event_id>/facts/<question_id>/wrong", methods=["GET", "POST"])
@login_required
@form_action(_journey)
def wrong(event_id: str, question_id: str) -> Any:
    """The citizen says a register's fact is wrong: they give their own value instead.

    Their value goes, with their consent, to the register's agency as a correction request.
    """
    event, draft, question = _draft_and_question(event_id, question_id)
    if (draft.sources or {}).get(question.id, {}).get("kind") != "register":
        abort(404)
    draft.answers = {k: v for k, v in draft.answers.items() if k != question.id}
    draft.sources = {**(draft.sources or {}), question.id: dispute(question)}
    db.session.commit()
    return redirect(url_for("journey.question", event_id=event.id, page=_page_of(event, question)))


@bp.route("/<event_id>/reuse/<question_id>", methods=["GET", "POST"])
@login_required
@form_action(_journey)
def reuse(event_id: str, question_id: str) -> Any:
    """The citizen chose to use an answer from an earlier case again."""
    event, draft, question = _draft_and_question(event_id, question_id)
    offer = offers(g.person, event, draft.answers).get(question.id)
    if offer is None:
        abort(404)
    draft.answers = {**draft.answers, question.id: clean_answer(question, offer.value)}
    source = {"kind": "citizen", "reused_from": offer.case_reference}
    draft.sources = {**(draft.sources or {}), question.id: source}
    db.session.commit()
    return redirect(next_page(event, dict(draft.answers), _page_of(event, question)))

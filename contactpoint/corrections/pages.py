"""The case page's "correct an answer": a form of the answers sent, a check page that shows
per agency what the change means, then the correction is sent."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from contactpoint.auth import login_required
from contactpoint.citizen.cases import case_of
from contactpoint.citizen.pages.answers import display_answer, error_message
from contactpoint.citizen.people import as_asked
from contactpoint.citizen.presenters import case_view
from contactpoint.corrections.people import people_resolved
from contactpoint.corrections.views import correction_view
from contactpoint.db.models import Case
from contactpoint.platform.form_actions import form_action
from contactpoint.platform.forms import form_errors
from contactpoint.platform.i18n import current_language
from workflows import CaseStatus, LifeEvent, Question, catalogue, clean_answer, is_blank, runtime
from workflows.corrections import CorrectionPlan
from workflows.corrections.apply import CorrectionRefused, correct, preview
from workflows.people import PEOPLE_TYPES
from workflows.rules import holds

bp = Blueprint("corrections", __name__, url_prefix="/my-pages/cases")
GENERAL = "answers"  # the key of an error about the correction as a whole


def _own_case(case_id: str) -> Case:
    found = case_of(g.person, case_id)
    if found is None:
        abort(404)
    return found


def _form_value(question: Question) -> Any:
    if question.type == "several_of":
        return request.form.getlist(question.id)
    if question.type == "address":
        parts = ("street", "postal_code", "city")
        return {part: request.form.get(f"{question.id}.{part}", "").strip() for part in parts}
    return request.form.get(question.id, "").strip()


Posted = tuple[list[Question], dict[str, Any], dict[str, Any], dict[str, str]]


def _acts_for(event: LifeEvent) -> str | None:
    """The question naming whom the case acts for: fixed once the case is sent."""
    return event.on_behalf_of.question if event.on_behalf_of else None


def _posted(event: LifeEvent, sent: dict[str, Any]) -> Posted:
    """The questions shown, what was typed, the changes that pass, and what to fix.

    A question the form did not show, that applies after the change and has no answer, is
    shown now with a request to answer it. A people question is asked as a choice of the
    people the register lists, by key; the people chosen are resolved against that list."""
    shown = set(request.form.getlist("shown")) - {_acts_for(event)}
    questions: list[Question] = []
    typed: dict[str, Any] = {}
    changes: dict[str, Any] = {}
    errors: dict[str, str] = {}
    known = dict(sent)
    listed: dict[str, list[dict[str, Any]]] = {}  # the people each choice offered, read once
    for question in event.questions:
        if not holds(question.when, known):
            known.pop(question.id, None)
            continue
        questions.append(question)
        if question.id not in shown and not is_blank(known.get(question.id)):
            typed[question.id] = known[question.id]
            continue
        asked = question
        if question.type in PEOPLE_TYPES:
            asked = as_asked(g.person, event, [question], {}, listed)[0]
        typed[question.id] = _form_value(asked) if question.id in shown else None
        try:
            if is_blank(typed[question.id]):
                raise ValidationError("missing")
            value = clean_answer(asked, typed[question.id], current_language())
            if asked is not question:  # the keys chosen, as the people they name
                chosen = {question.id: value}
                resolved, wrong = people_resolved(g.person, event, chosen, listed)
                if wrong:
                    raise ValidationError(wrong[question.id])
                value = resolved[question.id]
        except ValidationError as error:
            errors[question.id] = error_message(asked, typed[question.id], error)
            known.pop(question.id, None)
            continue
        known[question.id] = value
        if sent.get(question.id) != value:
            changes[question.id] = value
    for key in sent:
        if key not in known and key not in errors:
            changes[key] = None  # a question that no longer applies: its answer goes
    return questions, typed, changes, errors


def _form(
    case: Case, event: LifeEvent, typed: dict[str, Any], errors: dict[str, Any], status: int = 200
) -> Any:
    # Whom the case acts for is not offered: a correction cannot point the case elsewhere.
    # People questions are asked by key, never by personal identity number.
    fixed = _acts_for(event)
    questions = [q for q in event.questions if q.id in typed and q.id != fixed]
    page = render_template(
        "mypages/correct.html",
        case=case_view(case, timeline=False),
        questions=as_asked(g.person, event, questions, typed),
        acts_for=event.question(fixed) if fixed else None,
        typed=typed,
        errors=errors,
        form_errors=form_errors(errors),
    )
    return page, status


def _check(
    case: Case,
    event: LifeEvent,
    plan: CorrectionPlan,
    changes: dict,
    status: int = 200,
    **extra: Any,
) -> Any:
    sent = dict(case.answers)
    changed = [
        {
            "question": event.question(key),
            "before": display_answer(event.question(key), sent.get(key)) if key in sent else "",
            "after": display_answer(event.question(key), plan.answers[key])
            if key in plan.answers
            else _("No longer asked"),
        }
        for key in plan.changed
    ]
    page = render_template(
        "mypages/correct_check.html",
        case=case_view(case, timeline=False),
        event=event,
        changed=changed,
        plan=correction_view(plan, event, current_language()),
        changes=json.dumps(changes, sort_keys=True),
        **extra,
    )
    return page, status


@bp.route("/<case_id>/correct", methods=["GET", "POST"])
@login_required
def answers(case_id: str) -> Any:
    """The answers sent, to change; posted, the check page of what the change means."""
    case = _own_case(case_id)
    if case.status == CaseStatus.WITHDRAWN:
        return redirect(url_for("mypages.case", case_id=case.id))
    event = catalogue()[case.life_event]
    sent = dict(case.answers)
    if request.method == "GET":
        typed = {q.id: sent.get(q.id) for q in event.questions if holds(q.when, sent)}
        return _form(case, event, typed, {})
    _questions, typed, changes, errors = _posted(event, sent)
    if errors:
        return _form(case, event, typed, errors, 422)
    try:
        plan = preview(runtime.current().store, case.id, changes)
    except CorrectionRefused:
        return redirect(url_for("mypages.case", case_id=case.id))
    if plan.errors:
        general = _("You have not changed any answer.") if GENERAL in plan.errors else None
        shown = {key: general or _("Check your answer") for key in plan.errors if key != GENERAL}
        return _form(case, event, typed, shown or {GENERAL: general}, 422)
    return _check(case, event, plan, _as_posted(event, changes, typed))


def _as_posted(event: LifeEvent, changes: dict[str, Any], typed: dict[str, Any]) -> dict:
    """The changes as the check page carries them to be sent: the people chosen by their keys
    (resolved again when sent), never by personal identity number."""
    return {
        key: typed[key] if value is not None and event.question(key).type in PEOPLE_TYPES else value
        for key, value in changes.items()
    }


@bp.route("/<case_id>/correct/send", methods=["GET", "POST"])
@login_required
@form_action(lambda case_id: url_for("corrections.answers", case_id=case_id))
def send(case_id: str) -> Any:
    """Send the correction the citizen checked and consented to."""
    case = _own_case(case_id)
    event = catalogue()[case.life_event]
    try:
        posted = json.loads(request.form.get("changes", "{}"))
        assert isinstance(posted, dict)
    except (ValueError, AssertionError):
        return redirect(url_for("corrections.answers", case_id=case.id))
    changes, wrong = people_resolved(g.person, event, posted)
    if wrong:  # the register's list changed since the check page
        return redirect(url_for("corrections.answers", case_id=case.id))
    current = runtime.current()
    try:
        plan = preview(current.store, case.id, changes)
    except CorrectionRefused:
        return redirect(url_for("mypages.case", case_id=case.id))
    if plan.errors:
        return redirect(url_for("corrections.answers", case_id=case.id))
    if request.form.get("consent") != "yes":
        errors = form_errors({"consent": _("Tick the box to say that we may send the correction")})
        return _check(case, event, plan, posted, 422, consent_error=True, form_errors=errors)
    try:
        correct(
            current.store,
            current.dispatcher,
            case.id,
            changes,
            f"citizen:{g.person.id}",
            digest=request.form.get("digest"),
        )
    except CorrectionRefused:  # what it would send changed since the check: check again
        again = preview(current.store, case.id, changes)
        return _check(case, event, again, posted, 409, changed_since=True)
    return redirect(url_for("mypages.case", case_id=case.id, corrected=1))

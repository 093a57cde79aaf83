"""The guided journey: start page, one page of questions at a time, check answers, consent."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError

from contactpoint.auth import keeps_on_timeout, known_person, login_required
from contactpoint.citizen.cases import (
    AnswerErrors,
    PreviewChanged,
    representation_errors,
    submit_case,
)
from contactpoint.citizen.pages.answers import display_answer, error_message
from contactpoint.citizen.pages.facts import (
    after_page,
    check_extras,
    check_plans,
    page_extras,
    split_facts,
)
from contactpoint.citizen.pages.route import next_page
from contactpoint.citizen.people import as_asked, resolve_people
from contactpoint.citizen.prefill import prefill_draft
from contactpoint.citizen.presenters import plan_view
from contactpoint.db.models import Draft
from contactpoint.extensions import db
from contactpoint.platform.forms import form_errors
from contactpoint.platform.i18n import current_language
from contactpoint.platform.rate_limits import RateLimited
from contactpoint.platform.rate_limits import current as rate_limits
from workflows import (
    ADDRESS_PARTS,
    LifeEvent,
    Question,
    acting_as,
    applicable_pages,
    catalogue,
    check_answers,
    clean_answer,
    is_blank,
)
from workflows.people import PEOPLE_TYPES

bp = Blueprint("journey", __name__, url_prefix="/life-events")

CONSENT_MISSING = _l("Tick the box to say that we may send this to the agencies")


def _event(event_id: str) -> LifeEvent:
    event = catalogue().get(event_id)
    if event is None:
        abort(404)
    return event


def _draft(event: LifeEvent, create: bool = False) -> Draft | None:
    draft = db.session.scalar(
        sa.select(Draft).where(Draft.person_id == g.person.id, Draft.life_event == event.id)
    )
    if draft is None and create:
        draft = Draft(person_id=g.person.id, life_event=event.id, answers={})
        db.session.add(draft)
    return draft


def _form_value(question: Question) -> Any:
    if question.type == "several_of":
        return request.form.getlist(question.id)
    if question.type == "address":
        form = request.form
        return {part: form.get(f"{question.id}.{part}", "").strip() for part in ADDRESS_PARTS}
    return request.form.get(question.id, "").strip()


def _check_posted(
    event: LifeEvent,
    questions: list[Question],
    typed: dict[str, Any],
    answers: dict[str, Any],
    listed: dict[str, list[dict[str, Any]]],
) -> dict[str, str]:
    """Check each posted answer of a page: what was typed goes into `typed`, the answers that
    pass into `answers`; what to fix, by question. The people chosen are resolved against
    those the page listed (`listed`, read as it was asked)."""
    errors: dict[str, str] = {}
    for q in questions:
        typed[q.id] = _form_value(q)
        try:
            if is_blank(typed[q.id]):
                raise ValidationError("missing")
            answers[q.id] = clean_answer(q, typed[q.id], current_language())
        except ValidationError as error:
            errors[q.id] = error_message(q, typed[q.id], error)
            answers.pop(q.id, None)
    people = [event.question(q.id) for q in questions if _people(event, q)]
    chosen = {q.id: answers[q.id] for q in people if q.id in answers}
    resolved, wrong = (
        resolve_people(g.person, event, chosen, listed=listed, asked=people) if people else ({}, {})
    )
    answers.update(resolved)
    for q in questions:
        if q.id in wrong:  # the register's list changed since the page was shown
            errors[q.id] = error_message(q, typed[q.id], ValidationError(wrong[q.id]))
            answers.pop(q.id, None)
    for question_id, messages in representation_errors(g.person, event, answers).items():
        if question_id in typed:
            errors[question_id] = messages[0]
    return errors


def _people(event: LifeEvent, question: Question) -> bool:
    """Whether the page's question (asked as a choice) is a people question."""
    return event.question(question.id).type in PEOPLE_TYPES


@keeps_on_timeout("journey.question")
def keep_typed_answers(person_id: str, event_id: str, page: str) -> str | None:
    """A page of questions posted after the session timed out: the answers that pass their
    checks go into that person's draft, and the journey goes on from there after sign-in."""
    event = catalogue().get(event_id)
    g.person = known_person(person_id)
    try:
        draft = _draft(event) if event is not None and g.person is not None else None
        if event is None or draft is None:
            return None
        answers = dict(draft.answers)
        pages = dict(applicable_pages(event, answers))
        if page not in pages:
            return None
        questions, _facts = split_facts(draft, pages[page])
        listed: dict[str, list[dict[str, Any]]] = {}
        questions = as_asked(g.person, event, questions, {}, listed)
        errors = _check_posted(event, questions, {}, answers, listed)
        kept = [q for q in questions if q.id not in errors]
        for question_id in errors:
            answers.pop(question_id, None)
        if not kept:
            return None
        draft.answers = check_answers(event, answers).clean
        after_page(event, draft, kept)
        db.session.commit()
        return url_for("journey.begin", event_id=event.id)
    finally:
        g.pop("person", None)


@bp.get("/<event_id>")
def start(event_id: str) -> str:
    """The life event's start page: what it does, which agencies, what you need."""
    event = _event(event_id)
    return render_template("journey/start.html", event=event, acting=acting_as(event.on_behalf_of))


@bp.route("/<event_id>/begin", methods=["GET", "POST"])
@login_required
def begin(event_id: str) -> Any:
    """Start (or resume) the journey: from the start page's button, or by GET when a sign-in
    comes back here (the button of someone signed out leads to the login and back)."""
    event = _event(event_id)
    draft = _draft(event, create=True)
    assert draft is not None
    prefill_draft(g.person, event, draft)
    db.session.commit()
    return redirect(next_page(event, dict(draft.answers), None))


@bp.route("/<event_id>/questions/<page>", methods=["GET", "POST"])
@login_required
def question(event_id: str, page: str) -> Any:
    """One page of questions; errors keep what was typed and say what to fix."""
    event = _event(event_id)
    draft = _draft(event, create=True)
    assert draft is not None
    answers = dict(draft.answers)
    pages = applicable_pages(event, answers)
    keys = [key for key, _ in pages]
    if page not in keys:
        return redirect(next_page(event, answers, None))
    questions, facts = split_facts(draft, pages[keys.index(page)][1])
    errors: dict[str, str] = {}
    typed: dict[str, Any] = {q.id: answers.get(q.id) for q in questions}
    listed: dict[str, list[dict[str, Any]]] = {}
    questions = as_asked(g.person, event, questions, typed, listed)
    if request.method == "POST":
        errors = _check_posted(event, questions, typed, answers, listed)
        if not errors:
            draft.answers = check_answers(event, answers).clean
            after_page(event, draft, questions)
            db.session.commit()
            if request.args.get("change"):
                return redirect(url_for("journey.check", event_id=event.id))
            return redirect(next_page(event, draft.answers, page))
    position = keys.index(page)
    back = (
        url_for("journey.question", event_id=event.id, page=keys[position - 1])
        if position
        else url_for("journey.start", event_id=event.id)
    )
    return render_template(
        "journey/question.html",
        event=event,
        page=page,
        questions=questions,
        typed=typed,
        errors=errors,
        form_errors=form_errors({q.id: errors[q.id] for q in questions if q.id in errors}),
        back=back,
        next_url=next_page(event, answers, page),
        **page_extras(event, draft, facts, questions),
    ), (422 if errors else 200)


@bp.route("/<event_id>/check", methods=["GET", "POST"])
@login_required
def check(event_id: str) -> Any:
    """Check your answers, see what each agency will receive and why, consent, submit."""
    event = _event(event_id)
    draft = _draft(event)
    if draft is None:
        return redirect(url_for("journey.start", event_id=event.id))
    result = check_answers(event, draft.answers)
    if result.missing or result.invalid:
        return redirect(next_page(event, result.clean, None))
    consent_error, limited = None, None
    if request.method == "POST":
        if request.form.get("consent") == "yes":
            try:
                rate_limits().take("submissions", g.person.id)
                case_id = submit_case(
                    g.person,
                    event,
                    dict(draft.answers),
                    sources=dict(draft.sources or {}),
                    preview_digest=request.form.get("digest"),
                ).id
            except AnswerErrors:
                return redirect(next_page(event, {}, None))
            except PreviewChanged:
                return redirect(url_for("journey.check", event_id=event.id))
            except RateLimited as refused:  # the answers stay in the draft, ready to send
                limited = refused
            else:
                db.session.delete(draft)
                db.session.commit()
                return redirect(url_for("mypages.case", case_id=case_id, submitted=1))
        else:
            consent_error = True
    pages = applicable_pages(event, result.clean)
    planned = check_plans(event, draft, result.clean)
    plans = [plan_view(plan, answers=result.clean) for plan in planned]
    return (
        render_template(
            "journey/check.html",
            event=event,
            pages=pages,
            answers=result.clean,
            display_answer=display_answer,
            plans=plans,
            consent_error=consent_error,
            form_errors=form_errors({"consent": CONSENT_MISSING}) if consent_error else [],
            limited=limited,
            **check_extras(event, draft, result.clean, planned),
        ),
        (422 if consent_error else 429 if limited else 200),
        ({"Retry-After": str(limited.retry_after_s)} if limited else {}),
    )

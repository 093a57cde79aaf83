"""What a citizen does on a case: answer an agency's question, withdraw the case."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from contactpoint.auth import login_required
from contactpoint.business.cases import may_still_act
from contactpoint.business.log import record_action
from contactpoint.citizen.cases import case_of
from contactpoint.citizen.presenters import case_view
from contactpoint.db.models import Case, Step
from contactpoint.extensions import db
from contactpoint.platform.form_actions import form_action
from contactpoint.platform.forms import form_errors
from workflows import OPEN_CASE_STATUSES, DecisionError, engine, runtime, withdrawal

bp = Blueprint("case_actions", __name__, url_prefix="/my-pages/cases")

ANSWER_MAX = 2000


def _own_case(case_id: str) -> Case:
    """The citizen's own case to act on; for a company's, only while they may act for it."""
    found = case_of(g.person, case_id)
    if found is None:
        abort(404)
    if not may_still_act(g.person, found):
        abort(403)
    return found


@bp.post("/<case_id>")
@login_required
def answer(case_id: str) -> Any:
    """The citizen's answer to an agency's question, posted to the case page itself: an
    error shows there, at its own address."""
    return answer_complement(case_id, request.form.get("step_id", ""))


@bp.route("/<case_id>/steps/<step_id>/complement", methods=["GET", "POST"])
@login_required
@form_action(lambda case_id, step_id: url_for("mypages.case", case_id=case_id))
def answer_complement(case_id: str, step_id: str) -> Any:
    """The citizen's answer to an agency's question; the step resumes."""
    case = _own_case(case_id)
    step = db.session.get(Step, step_id) if step_id else None
    if step is None or step.case_id != case.id:
        abort(404)
    answer = request.form.get("answer", "").strip()
    error = None
    if not answer:
        error = _("Write your answer.")
    elif len(answer) > ANSWER_MAX:
        error = _("The answer can be at most %(maximum)s characters.", maximum=ANSWER_MAX)
    if error is None:
        current = runtime.current()
        actor = f"citizen:{g.person.id}"
        try:
            applied = engine.answer_complement(
                current.store, current.dispatcher, step.id, answer, actor
            )
        except DecisionError:
            applied = False
        if applied:
            record_action(case, g.person, "complement_answered")
            return redirect(url_for("mypages.case", case_id=case.id, answered=1))
        error = _("The question has already been answered or no longer applies.")
    page = render_template(
        "mypages/case.html",
        case=case_view(case),
        complement_errors={step.id: error},
        complement_values={step.id: answer[:ANSWER_MAX]},
        form_errors=form_errors({step.id: error}, {step.id: f"answer-{step.id}"}),
    )
    return page, 422


@bp.route("/<case_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(case_id: str) -> Any:
    """Confirm, then withdraw a case that is not finished."""
    case = _own_case(case_id)
    if case.status not in OPEN_CASE_STATUSES:
        return redirect(url_for("mypages.case", case_id=case.id))
    if request.method == "GET":
        return render_template("mypages/withdraw.html", case=case_view(case, timeline=False))
    current = runtime.current()
    actor = f"citizen:{g.person.id}"
    withdrawal.withdraw(current.store, current.dispatcher, case.id, actor)
    record_action(case, g.person, "case_withdrawn")
    return redirect(url_for("mypages.case", case_id=case.id, withdrawn=1))

"""One step at the officer's agency: what it received, the shared case status, and decisions."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from contactpoint.auth import officer_required
from contactpoint.db.inbox import agency_step
from contactpoint.db.models import Step
from contactpoint.officer import casework, step_view
from contactpoint.officer.staff import officer as staff_officer
from contactpoint.officer.staff import staff_of
from contactpoint.platform.form_actions import form_action
from contactpoint.platform.forms import form_errors
from contactpoint.platform.i18n import current_language
from workflows import DecisionError

bp = Blueprint("officer_step", __name__, url_prefix="/officer/steps")
KINDS = ("approve", "reject", "complement")
LIMITS = {"reference": 40, "reason": 2000, "question": 2000}


def _step_page(step_id: str) -> str:
    """Where a step's forms are: its page."""
    return url_for("officer_step.show", step_id=step_id)


def _own_step(step_id: str) -> Step:
    """The officer's agency's step; another agency's step is 404, like a missing one."""
    step = agency_step(g.officer.agency, step_id)
    if step is None:
        abort(404)
    return step


def _page(step: Step, errors: dict[str, str] | None = None, form: Any = None) -> Any:
    detail = step_view.step_detail(step, current_language())
    step_view.record_view(step, detail, g.officer.actor, g.officer.role)
    return render_template(
        "officer/step.html",
        step=detail,
        errors=errors or {},
        form_errors=form_errors(errors or {}, {"decision": "decision-approve"}),
        form=form or {},
        colleagues=staff_of(g.officer.agency),
    ), (422 if errors else 200)


@bp.get("/<step_id>")
@officer_required
def show(step_id: str) -> Any:
    """The step's page; the view is written to the audit trail."""
    return _page(_own_step(step_id))


def decision_errors(form: Any) -> dict[str, str]:
    """What is wrong with a decision form, by field."""
    kind = form.get("decision")
    errors: dict[str, str] = {}
    if kind not in KINDS:
        errors["decision"] = _("Choose approve, reject or ask the citizen for more.")
    if kind == "reject" and not form.get("reason", "").strip():
        errors["reason"] = _("Write why the step is rejected; the citizen reads it.")
    if kind == "complement" and not form.get("question", "").strip():
        errors["question"] = _("Write the question the citizen must answer.")
    for name, limit in LIMITS.items():
        if len(form.get(name, "")) > limit:
            errors[name] = _("Write at most %(limit)s characters.", limit=limit)
    return errors


@bp.route("/<step_id>/decision", methods=["GET", "POST"])
@officer_required
@form_action(_step_page)
def decide(step_id: str) -> Any:
    """Approve, reject or ask the citizen; the workflow resumes at once."""
    step = _own_step(step_id)
    errors = decision_errors(request.form)
    if errors:
        return _page(step, errors, request.form)
    kind = request.form["decision"]
    words = {name: request.form.get(name, "").strip() or None for name in LIMITS}
    try:
        done = casework.decide(
            step, kind, g.officer.actor, g.officer.role, **_relevant(kind, words)
        )
    except DecisionError:
        return _page(step, {"decision": _("The decision is missing what it needs.")}, request.form)
    flash(_("Your decision is saved.") if done else _("This step was already decided."))
    return redirect(url_for("officer_step.show", step_id=step_id))


def _relevant(kind: str, words: dict[str, str | None]) -> dict[str, str | None]:
    field = {"approve": "reference", "reject": "reason", "complement": "question"}[kind]
    return {field: words[field]}


@bp.route("/<step_id>/assign", methods=["GET", "POST"])
@officer_required
@form_action(_step_page)
def assign(step_id: str) -> Any:
    """Take a step, or (a supervisor) give it to a colleague or to nobody."""
    step = _own_step(step_id)
    wanted = request.form.get("assignee", "")
    if not g.officer.is_supervisor and wanted != g.officer.id:
        abort(403)
    colleague = staff_officer(wanted)
    if wanted and (colleague is None or colleague.agency != g.officer.agency):
        abort(422)
    casework.assign(step, wanted or None, g.officer.actor, g.officer.role)
    flash(_("The step is assigned.") if wanted else _("The step is not assigned to anyone."))
    return redirect(url_for("officer_step.show", step_id=step_id))


@bp.route("/<step_id>/retry", methods=["GET", "POST"])
@officer_required
@form_action(_step_page)
def retry(step_id: str) -> Any:
    """A supervisor sends a failed step to the agency again."""
    step = _own_step(step_id)
    if not g.officer.is_supervisor:
        abort(403)
    retried = casework.retry(step, g.officer.actor, g.officer.role)
    flash(_("The step is sent again.") if retried else _("Only a failed step can be sent again."))
    return redirect(url_for("officer_step.show", step_id=step_id))

"""The feedback question at the end of a life event, and the administrators' reading of it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from contactpoint.auth import login_required
from contactpoint.citizen.cases import case_of
from contactpoint.citizen.feedback import (
    COMMENT_MAX,
    EASE_SCALE,
    EASE_TEXTS,
    feedback_for_case,
    give_feedback,
    is_admin,
    recent,
    summaries,
)
from contactpoint.platform.forms import form_errors
from contactpoint.platform.i18n import current_language
from workflows import catalogue

bp = Blueprint("feedback", __name__)


@bp.app_context_processor
def _feedback_scale() -> dict[str, Any]:
    """The answers to "how easy was it?", easiest first, for every page that asks it."""
    return {"feedback_scale": [(value, EASE_TEXTS[value]) for value in reversed(EASE_SCALE)]}


@bp.route("/my-pages/cases/<case_id>/feedback", methods=["GET", "POST"])
@login_required
def give(case_id: str) -> Any:
    """How easy was it? One answer per case, and any comment; errors keep what was typed."""
    case = case_of(g.person, case_id)
    if case is None:
        abort(404)
    given = feedback_for_case(case)
    typed = {"ease": request.form.get("ease", ""), "comment": request.form.get("comment", "")}
    errors: dict[str, str] = {}
    if request.method == "POST" and given is None:
        if typed["ease"] not in {str(value) for value in EASE_SCALE}:
            errors["ease"] = _("Choose how easy or difficult it was")
        if len(typed["comment"]) > COMMENT_MAX:
            errors["comment"] = _("Write at most %(maximum)s characters", maximum=COMMENT_MAX)
        if not errors:
            give_feedback(case, int(typed["ease"]), typed["comment"], current_language())
            return redirect(url_for("feedback.give", case_id=case.id))
    return render_template(
        "feedback/page.html",
        case=case,
        event=catalogue().get(case.life_event),
        given=given,
        typed=typed,
        errors=errors,
        form_errors=form_errors(errors),
        comment_max=COMMENT_MAX,
    ), (422 if errors else 200)


@bp.get("/admin/feedback")
@login_required
def read() -> Any:
    """Administrators: how each life event was found, and what citizens wrote."""
    if not is_admin(g.person):
        abort(403)
    chosen = request.args.get("life_event") or None
    return render_template(
        "feedback/admin.html",
        events=catalogue(),
        summaries=summaries(),
        entries=recent(chosen),
        chosen=chosen,
        ease_texts=EASE_TEXTS,
    )

"""The page where a person confirms, or declines, steps of another person's case that wait
for them (reached from the message that asks them)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from contactpoint.auth import login_required
from contactpoint.confirmations.decisions import decide
from contactpoint.confirmations.views import confirmation_of

bp = Blueprint("confirmations", __name__, url_prefix="/my-pages/confirmations")


@bp.get("/<confirmation_id>")
@login_required
def show(confirmation_id: str) -> str:
    """What waits for the person's yes, and the two answers."""
    found = confirmation_of(g.person.id, confirmation_id)
    if found is None:
        abort(404)
    return render_template("confirmations/show.html", confirmation=found)


@bp.post("/<confirmation_id>")
@login_required
def answer(confirmation_id: str) -> Any:
    """Confirm or decline; the page then says what became of it (a second answer changes
    nothing: the page says the first)."""
    decision = request.form.get("decision")
    if decision not in ("confirm", "decline"):
        found = confirmation_of(g.person.id, confirmation_id)
        if found is None:
            abort(404)
        error = _("Choose whether you confirm it or not.")
        return render_template("confirmations/show.html", confirmation=found, error=error), 400
    outcome = decide(g.person.id, confirmation_id, decision)  # type: ignore[arg-type]
    if outcome is None:
        abort(404)
    return redirect(url_for("confirmations.show", confirmation_id=confirmation_id))

"""The simulated staff login: pick an agency and an officer (development and tests only)."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)

from contactpoint.auth import fresh_session, safe_next, start_officer_session
from contactpoint.citizen.presenters import agency_name
from contactpoint.officer.staff import agencies, officer, staff_of

bp = Blueprint("officer_login", __name__, url_prefix="/officer")


def _safe_next(target: str | None) -> str:
    return safe_next(target, "/officer", url_for("officer_inbox.inbox_page"))


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Choose an officer of an agency; the session then belongs to that officer only."""
    if not current_app.config["SIMULATED_EID"]:
        abort(404)
    if request.method == "POST":
        chosen = officer(request.form.get("officer"))
        if chosen is None:
            abort(422)
        start_officer_session(chosen)
        return redirect(_safe_next(request.args.get("next")))
    choices = [(agency, agency_name(agency), staff_of(agency)) for agency in agencies()]
    return render_template("officer/login.html", agencies=choices)


@bp.post("/logout")
def logout() -> Any:
    """End the officer's session."""
    fresh_session()
    return redirect(url_for("officer_login.login"))

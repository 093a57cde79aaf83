"""The simulated eID login for citizens (development and tests only)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from contactpoint.auth import fresh_session, safe_next, start_citizen_session
from contactpoint.db.models import Person
from contactpoint.db.seed import TEST_POPULATION
from contactpoint.extensions import db

bp = Blueprint("login", __name__)


def _safe_next(target: str | None) -> str:
    return safe_next(target, "/", url_for("mypages.index"))


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Pick or type a person of the test population."""
    if not current_app.config["SIMULATED_EID"]:
        abort(404)
    error = None
    typed = request.form.get("personal_number", "").strip()
    if request.method == "POST":
        person = db.session.scalar(sa.select(Person).where(Person.personal_number == typed))
        if person is not None:
            start_citizen_session(person)
            return redirect(_safe_next(request.args.get("next")))
        error = _("Enter a personal identity number from the test population, like 19850312-2387.")
    return render_template("login.html", population=TEST_POPULATION, error=error, typed=typed), (
        422 if error else 200
    )


@bp.post("/logout")
def logout() -> Any:
    """End the session."""
    fresh_session()
    return redirect(url_for("home.index"))

"""My pages: every case, every step, its status and who has the ball; drafts to resume."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, render_template, request

from contactpoint.auth import login_required
from contactpoint.citizen.cases import case_of
from contactpoint.citizen.presenters import case_view
from contactpoint.db.case_records import overview_of
from workflows import catalogue

bp = Blueprint("mypages", __name__, url_prefix="/my-pages")


@bp.get("")
@login_required
def index() -> str:
    """The citizen's cases and unfinished journeys."""
    records, drafts = overview_of(g.person.id)
    events = catalogue()
    return render_template(
        "mypages/index.html",
        cases=[case_view(case, timeline=False) for case in records],
        drafts=[(draft, events[draft]) for draft in drafts if draft in events],
    )


@bp.get("/cases/<case_id>")
@login_required
def case(case_id: str) -> Any:
    """One case: its steps, their status and ball, references, and the timeline."""
    found = case_of(g.person, case_id)
    if found is None:
        abort(404)
    view = case_view(found)
    template = "mypages/_steps.html" if request.args.get("fragment") else "mypages/case.html"
    return render_template(template, case=view, submitted=bool(request.args.get("submitted")))

"""My pages: every case, every step, its status and who has the ball; drafts to resume."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, g, render_template, request, session

from contactpoint.auth import citizen_id_required, known_person, login_required, sign_in_first
from contactpoint.auth.sessions import asks_if_ended, has_ended, remaining
from contactpoint.citizen.cases import case_of
from contactpoint.citizen.people import people_chosen
from contactpoint.citizen.presenters import case_view
from contactpoint.db.case_records import overview_of
from contactpoint.db.status_reads import overview_version, rendered_pages
from contactpoint.joint import shared_status
from contactpoint.platform.i18n import current_language
from workflows import catalogue

bp = Blueprint("mypages", __name__, url_prefix="/my-pages")


class _Gone(Exception):
    """The session's person is no longer there."""


@bp.get("")
@asks_if_ended("mypages.index")
@citizen_id_required
def index() -> Any:
    """The citizen's cases and unfinished journeys.

    Read far more often than anything on it changes: each web process keeps the page it last
    rendered for a person, and renders it again only when the version of their cases, steps
    and unsent journeys has changed, or anything else the page shows would differ. A read
    that finds it unchanged is one statement: the person, that version, and whether the
    session has ended, together.
    """
    found = overview_version(g.person_id, session["sid"])
    if found is not None and found.session_ended:
        has_ended()
    if found is None or found.session_ended:
        return sign_in_first()
    version = found.version
    g.unread_messages = found.unread  # the header's count, read with the version
    token = session.get(current_app.config["WTF_CSRF_FIELD_NAME"])
    left = remaining()
    key = (
        "mypages",
        g.person_id,
        current_language(),
        request.full_path,  # the language link and the timeout warning's way back
        token,  # the forms' tokens are made from it
        None if left is None else (left.seconds, left.warn_at),
    )
    try:
        if token is None:  # the page's forms make the session's token: keep the next one
            return _overview()
        return rendered_pages().kept(key, version, lambda: _overview().encode()).body.decode()
    except _Gone:  # removed since the version was read
        return sign_in_first()


def _overview() -> str:
    g.person = known_person(g.person_id)
    if g.person is None:
        raise _Gone
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
    submitted, corrected = bool(request.args.get("submitted")), bool(request.args.get("corrected"))
    shared = shared_status(found, current_language())  # a death or birth reported first by another
    people = people_chosen(
        catalogue().get(found.life_event), found.answers or {}, current_language()
    )
    return render_template(
        template, case=view, submitted=submitted, corrected=corrected, shared=shared, people=people
    )

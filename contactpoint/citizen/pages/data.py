"""Who has my data: the sharing log on My pages, and the download of everything held."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, g, jsonify, render_template, request

from contactpoint.auth import login_required
from contactpoint.citizen.export import export_person
from contactpoint.citizen.sharing import data_shares
from contactpoint.platform.i18n import current_language

bp = Blueprint("data", __name__, url_prefix="/my-pages")


@bp.get("/data-shares")
@login_required
def shares() -> str:
    """Every transfer to an agency, every register read and every read at an agency, newest
    first, by agency."""
    everything = data_shares(g.person)
    agencies = sorted({(s["agency"], s["agency_name"]) for s in everything}, key=lambda a: a[1])
    chosen = request.args.get("agency") or None
    entries = [s for s in everything if chosen is None or s["agency"] == chosen]
    return render_template(
        "mypages/data_shares.html",
        entries=entries,
        agencies=agencies,
        chosen=chosen,
        view_window=current_app.config["VIEW_WINDOW_MINUTES"],
    )


@bp.get("/export")
@login_required
def export() -> Any:
    """Everything held about me, as one JSON file to keep or take to another service."""
    response = jsonify(export_person(g.person, current_language()))
    response.headers["Content-Disposition"] = 'attachment; filename="kontaktpunkt-export.json"'
    response.headers["Cache-Control"] = "no-store"
    return response

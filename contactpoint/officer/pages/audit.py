"""The audit trail of the supervisor's agency: who saw or decided what, when."""

from __future__ import annotations

from flask import Blueprint, abort, g, render_template, request

from contactpoint.auth import officer_required
from contactpoint.citizen.presenters import agency_name
from contactpoint.db.models import utc
from contactpoint.officer import audit
from contactpoint.officer.staff import staff_of

bp = Blueprint("officer_audit", __name__, url_prefix="/officer/audit")


@bp.get("")
@officer_required
def trail() -> str:
    """Newest first, filtered by officer or case reference; supervisors only."""
    if not g.officer.is_supervisor:
        abort(403)
    page = request.args.get("page", "1")
    actor = request.args.get("actor", "")
    reference = request.args.get("reference", "").strip()[:16]
    entries, total, more = audit.trail(
        g.officer.agency, int(page) if page.isdigit() else 1, actor or None, reference or None
    )
    pages = max(1, -(-total // audit.PAGE_SIZE))
    return render_template(
        "officer/audit.html",
        entries=[(entry, ref, utc(entry.at)) for entry, ref in entries],
        life_events=audit.life_events_of(entry.case_id for entry, _ in entries),
        total=total,
        more=more,
        page=min(max(int(page) if page.isdigit() else 1, 1), pages),
        pages=pages,
        actor=actor,
        reference=reference,
        colleagues=staff_of(g.officer.agency),
        agency_title=agency_name(g.officer.agency),
    )

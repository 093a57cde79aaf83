"""A case officer's inbox: the agency's steps by queue, filtered, sorted, paginated."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, render_template, request

from workflows.lifeevents import catalogue

from ..auth import officer_required
from ..i18n import text
from ..inbox import ASSIGNED, QUEUES, SORTS, InboxQuery, inbox
from ..models import now
from ..presenters import agency_name, utc

bp = Blueprint("officer_inbox", __name__, url_prefix="/officer")
AGES = (0, 3, 7, 14, 30)


def _choice(name: str, allowed: tuple[Any, ...], default: Any) -> Any:
    value = request.args.get(name, default)
    if isinstance(default, int):
        value = int(value) if str(value).isdigit() else default
    return value if value in allowed else default


def inbox_query(agency: str) -> InboxQuery:
    """The officer's filters from the address; anything unknown falls back to the default."""
    page = request.args.get("page", "1")
    return InboxQuery(
        agency=agency,
        queue=_choice("queue", QUEUES, "waiting"),
        life_event=_choice("life_event", tuple(catalogue()), ""),
        older_than_days=_choice("older_than", AGES, 0) or None,
        assigned=_choice("assigned", ASSIGNED, ""),
        reference=request.args.get("reference", "").strip()[:16],
        sort=_choice("sort", SORTS, "due"),
        page=int(page) if page.isdigit() else 1,
    )


@bp.get("")
@officer_required
def inbox_page() -> str:
    """The agency's steps waiting for it, overdue, with the citizen, failed, recently decided."""
    query = inbox_query(g.officer.agency)
    found = inbox(query, officer_id=g.officer.id)
    events = catalogue()
    moment = now()
    rows = []
    for row in found.rows:
        event = events.get(row.life_event)
        declared = next((s for s in event.steps if s.id == row.key), None) if event else None
        rows.append(
            {
                **row._asdict(),
                "title": text(declared.title) if declared else row.key,
                "life_event_title": text(event.title) if event else row.life_event,
                "received_at": utc(row.started_at),
                "due_at": utc(row.due_at),
                "overdue": row.status == "waiting"
                and row.ball == "agency"
                and row.due_at is not None
                and utc(row.due_at) < moment,  # type: ignore[operator]
                "finished_at": utc(row.finished_at),
            }
        )
    return render_template(
        "officer/inbox.html",
        query=query,
        found=found,
        rows=rows,
        queues=QUEUES,
        sorts=SORTS,
        ages=AGES,
        life_events=[(event_id, text(event.title)) for event_id, event in events.items()],
        agency_title=agency_name(g.officer.agency),
        args={k: v for k, v in request.args.items() if k != "page"},
    )

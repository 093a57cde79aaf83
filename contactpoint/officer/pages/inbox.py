"""A case officer's inbox: the agency's steps by queue, filtered, sorted, paginated."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from contactpoint.auth import officer_required
from contactpoint.citizen.presenters import agency_name, next_attempt
from contactpoint.db.inbox import ASSIGNED, QUEUES, SORTS, InboxQuery, inbox
from contactpoint.db.models import now, utc
from contactpoint.officer import audit, casework
from contactpoint.platform.form_actions import form_action
from contactpoint.platform.i18n import text
from workflows import StepStatus, catalogue, declared_step

bp = Blueprint("officer_inbox", __name__, url_prefix="/officer")
AGES = (0, 3, 7, 14, 30)
# Failed steps a supervisor's press sends again: each is a transaction and a message, and the
# request must end well within the web server's timeout (the CLI takes any number).
RETRY_AT_ONCE = 200


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
    """The agency's steps waiting for it, overdue, with the citizen, failed, not delivered to
    its system yet, recently decided."""
    query = inbox_query(g.officer.agency)
    found = inbox(query, officer_id=g.officer.id)
    events = catalogue()
    moment = now()
    decided = audit.deciders(row.id for row in found.rows) if query.queue == "decided" else {}
    rows = []
    for row in found.rows:
        event = events.get(row.life_event)
        declared = declared_step(event, row.key)
        rows.append(
            {
                **row._asdict(),
                "title": text(declared.title) if declared else row.key,
                "life_event_title": text(event.title) if event else row.life_event,
                "received_at": utc(row.started_at),
                "due_at": utc(row.due_at),
                "overdue": row.status == StepStatus.WAITING
                and row.ball == "agency"
                and row.due_at is not None
                and utc(row.due_at) < moment,  # type: ignore[operator]
                "finished_at": utc(row.finished_at),
                "retry_at": utc(row.retry_at),
                "next_attempt_at": next_attempt(row),
                "decided_by": decided.get(row.id),
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
        retry_at_once=RETRY_AT_ONCE,
    )


def _supervisors_bulk(
    queue: str, send: Callable[..., dict[str, int]], sent_text: Callable[[int], str]
) -> Any:
    """A supervisor's action on a whole queue of the agency's: `send([agency], actor=, role=)`
    says how many steps went, `sent_text(count)` tells the supervisor, back on the queue."""
    if not g.officer.is_supervisor:
        abort(403)
    agency = g.officer.agency
    count = send([agency], actor=g.officer.actor, role=g.officer.role).get(agency, 0)
    flash(sent_text(count))
    return redirect(url_for("officer_inbox.inbox_page", queue=queue))


@bp.route("/send-now", methods=["GET", "POST"])
@officer_required
@form_action(lambda: url_for("officer_inbox.inbox_page", queue="unreachable"))
def send_now() -> Any:
    """A supervisor, once the agency's system answers again, has its undelivered steps sent
    now rather than at their next scheduled attempt (each in the audit trail)."""
    return _supervisors_bulk(
        "unreachable",
        casework.send_scheduled_now,
        lambda n: ngettext("%(num)d step is sent now.", "%(num)d steps are sent now.", n),
    )


@bp.route("/retry-failed", methods=["GET", "POST"])
@officer_required
@form_action(lambda: url_for("officer_inbox.inbox_page", queue="failed"))
def retry_failed() -> Any:
    """A supervisor sends the agency's failed steps again, each as a retry of its own (in the
    audit trail one by one), up to RETRY_AT_ONCE a press, the longest failed first."""
    return _supervisors_bulk(
        "failed", functools.partial(casework.retry_failed, limit=RETRY_AT_ONCE), _sent_again
    )


def _sent_again(count: int) -> str:
    sent = ngettext("%(num)d step is sent again.", "%(num)d steps are sent again.", count)
    if count < RETRY_AT_ONCE:
        return sent
    more = _("Any left go with the next press.")
    return f"{sent} {more}"

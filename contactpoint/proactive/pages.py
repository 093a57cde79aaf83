"""An offer accepted: its life event begun with the answers the registers gave, straight to
the page where the citizen checks them."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, g, redirect, request, url_for

from contactpoint.auth import login_required
from contactpoint.citizen.prefill import prefill_draft
from contactpoint.db.mailbox import mark_read, message_of
from contactpoint.db.models import Draft
from contactpoint.extensions import db
from workflows import MessageAction, catalogue, check_answers

bp = Blueprint("proactive", __name__, url_prefix="/my-pages/messages")


@bp.route("/<message_id>/accept", methods=["GET", "POST"])
@login_required
def accept(message_id: str) -> Any:
    """Begin the offered life event with its proposed answers (in place of a draft of it);
    fetched (after signing in again on the way), it goes to the message, where the form is."""
    row = message_of(g.person.id, message_id)
    if row is None or row.action != MessageAction.START or not row.action_life_event:
        abort(404)
    event = catalogue().get(row.action_life_event)
    proposed = (row.params or {}).get("answers")
    if request.method == "GET" or event is None or proposed is None or row.dismissed_at:
        return redirect(url_for("messages.show", message_id=message_id))
    draft = db.session.scalar(
        sa.select(Draft).where(Draft.person_id == g.person.id, Draft.life_event == event.id)
    )
    if draft is None:
        draft = Draft(person_id=g.person.id, life_event=event.id)
        db.session.add(draft)
    draft.answers = check_answers(event, proposed).clean
    draft.sources = {}  # each answer the citizen's own once they send it, as on any page
    prefill_draft(g.person, event, draft)
    db.session.commit()
    mark_read(g.person.id, message_id)
    return redirect(url_for("journey.check", event_id=event.id))

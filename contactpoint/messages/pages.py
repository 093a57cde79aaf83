"""Meddelanden: every message to the citizen, newest first; one opened is read."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, redirect, render_template, request, url_for

from contactpoint.auth import login_required
from contactpoint.db.mailbox import mark_read, message_of, messages_of
from contactpoint.messages.presenters import message_view

bp = Blueprint("messages", __name__, url_prefix="/my-pages/messages")


@bp.get("")
@login_required
def index() -> str:
    """Every message, newest first, the unread ones marked."""
    views = [message_view(row) for row in messages_of(g.person.id)]
    g.unread_messages = sum(1 for view in views if view["read_at"] is None)
    return render_template("messages/index.html", messages=views)


@bp.get("/<message_id>")
@login_required
def show(message_id: str) -> str:
    """One message, marked read as it is opened."""
    if not mark_read(g.person.id, message_id):
        abort(404)
    g.pop("unread_messages", None)  # one fewer now
    row = message_of(g.person.id, message_id)
    if row is None:
        abort(404)
    return render_template("messages/show.html", message=message_view(row))


@bp.route("/<message_id>/dismiss", methods=["GET", "POST"])
@login_required
def dismiss(message_id: str) -> Any:
    """Put a message away: read, and its action no longer offered. Fetched (after signing in
    again on the way), it goes to the message, where the form is."""
    if request.method == "GET":
        return redirect(url_for("messages.show", message_id=message_id))
    if not mark_read(g.person.id, message_id, dismiss=True):
        abort(404)
    return redirect(url_for("messages.index"))

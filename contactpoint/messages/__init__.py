"""The person's mailbox (Meddelanden): its pages under My pages, and the header's count."""

from __future__ import annotations

from flask import Flask, g

from contactpoint.db.mailbox import unread_count
from contactpoint.messages.pages import bp


def unread_messages() -> int:
    """How many messages the signed-in citizen has not read (0 for no one): from My pages'
    version read when that is the page, else one indexed count, only when a page shows it."""
    found = g.get("unread_messages")
    if found is None:
        person = g.get("person")
        found = unread_count(person.id) if person is not None else 0
        g.unread_messages = found
    return int(found)


def register_messages(app: Flask) -> None:
    """The mailbox's pages, and the header's unread count for templates."""
    app.register_blueprint(bp)
    app.jinja_env.globals["unread_messages"] = unread_messages

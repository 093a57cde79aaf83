"""E-mail notifications: a person's address (its page under My pages, and the API), the
notifications written with each new message, and the tasks that send them."""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app

from contactpoint.db.notification_store import PENDING_KEY
from contactpoint.extensions import db
from contactpoint.notifications.addresses import give_address, send_verification_later
from contactpoint.notifications.pages import bp
from contactpoint.notifications.tasks import QUEUE, SEND

log = logging.getLogger(__name__)
__all__ = ["give_address", "register_notifications", "send_verification_later"]
_listening: list[bool] = []


def _send_committed(session: Any) -> None:
    """After a commit, the notifications it wrote go to the workers; if the broker is down,
    recovery sends them once it is back."""
    ids = session.info.pop(PENDING_KEY, None)
    if not ids:
        return
    try:
        for notification_id in ids:
            current_app.extensions["celery"].send_task(SEND, (notification_id,), queue=QUEUE)
    except Exception:  # the broker: the rows are committed, recovery sends them
        log.warning("%d notifications left to recovery: the broker did not take them", len(ids))


def _forget(session: Any, *_args: Any) -> None:
    session.info.pop(PENDING_KEY, None)


def register_notifications(app: Flask) -> None:
    """The contact page, and the notifications sent once the transaction that wrote them
    commits."""
    app.register_blueprint(bp)
    if not _listening:
        sa.event.listen(db.session, "after_commit", _send_committed)
        sa.event.listen(db.session, "after_rollback", _forget)
        _listening.append(True)

"""E-mail notifications: a person's address (its page under My pages, and the API), the
notifications written with each new message, and the tasks that send them."""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app

from contactpoint.db.notification_store import PENDING_KEY
from contactpoint.extensions import db
from contactpoint.notifications import contact as contacts
from contactpoint.notifications.pages import bp
from contactpoint.notifications.tasks import QUEUE, SEND, VERIFY
from contactpoint.platform.rate_limits import current as rate_limits

log = logging.getLogger(__name__)
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


def give_address(person_id: str, typed: str, language: str) -> bool:
    """Give or change the person's address (`contact.AddressError` if it is none) and have
    its verification link sent; whether one is owed. A person who has had as many links as
    `CONTACTPOINT_VERIFICATION_LIMIT` allows is refused first (`RateLimited`), nothing
    changed: the links go to addresses that are not yet known to be theirs."""
    limits = rate_limits()
    limits.check("verification_emails", person_id)
    owed = contacts.set_address(person_id, typed, language)
    contact = contacts.contact_of(person_id)
    if owed and contact is not None:
        limits.count("verification_emails", person_id)
        send_verification_later(person_id, contact.address_key)
    return owed


def send_verification_later(person_id: str, address_key: str) -> None:
    """Have a worker send the verification link (the address is never in a task's arguments)."""
    try:
        current_app.extensions["celery"].send_task(VERIFY, (person_id, address_key), queue=QUEUE)
    except Exception:
        log.warning("the verification e-mail of person %s could not be queued", person_id)


def register_notifications(app: Flask) -> None:
    """The contact page, and the notifications sent once the transaction that wrote them
    commits."""
    app.register_blueprint(bp)
    if not _listening:
        sa.event.listen(db.session, "after_commit", _send_committed)
        sa.event.listen(db.session, "after_rollback", _forget)
        _listening.append(True)

"""The notification tasks, on a queue of their own: send one, send a verification link, and
the recovery pass that sends again what a crash, an outage or the hour's limit left."""

from __future__ import annotations

import logging
import smtplib
from email.utils import parseaddr

from celery import shared_task
from flask import current_app

from agencies import clock
from contactpoint.config.smtp import parse_smtp_url
from contactpoint.db import notification_store as store
from contactpoint.extensions import db
from contactpoint.notifications.contact import contact_of, verification_token
from contactpoint.notifications.mail import (
    MessageRefused,
    RecipientRefused,
    message,
    send,
)
from contactpoint.notifications.texts import notification_text, verification_text

log = logging.getLogger(__name__)

QUEUE = "notifications"
SEND, VERIFY, RECOVER = (
    "contactpoint.notifications.send",
    "contactpoint.notifications.verify",
    "contactpoint.notifications.recover",
)
# A server that did not answer, or said "try later" (4xx): the notification is due again then.
PUT_OFF_S = 60.0


def _server_and_sender() -> tuple[str | None, str]:
    config = current_app.config
    return config.get("SMTP_URL"), config["MAIL_FROM"]


def message_id_of(notification_id: str) -> str:
    """The Message-ID of a notification: the same each time it is sent, so a receiving server
    can see a second copy (`docs/operations.md`: the window after the server took it)."""
    domain = parseaddr(current_app.config["MAIL_FROM"])[1].rpartition("@")[2] or "kontaktpunkt"
    return f"<notification-{notification_id}@{domain}>"


@shared_task(name=SEND, acks_late=True)
def send_notification(notification_id: str) -> str:
    """Claim one notification, send it, mark it sent; what it did, in one word."""
    url, sender = _server_and_sender()
    if not url:
        log.warning("notification %s waits: no SMTP_URL", notification_id)
        return "waiting"
    config = current_app.config
    claimed = store.claim(
        notification_id, config["NOTIFICATION_LEASE_S"], config["NOTIFICATIONS_PER_HOUR"]
    )
    if claimed is None:
        return "not_due"
    subject, body = notification_text(claimed.language, claimed.messages)
    mail = message(sender, claimed.email, subject, body, message_id_of(claimed.id))
    try:
        send(parse_smtp_url(url), mail)
    except RecipientRefused:
        log.warning("notification %s: the mail server refused the address", claimed.id)
        store.mark_refused(claimed.id)
        return "refused"
    except MessageRefused:
        log.warning("notification %s: the mail server refused the message", claimed.id)
        store.mark_failed(claimed.id)
        return "failed"
    except (smtplib.SMTPException, OSError) as error:
        log.warning("notification %s put off: %s", claimed.id, type(error).__name__)
        if not store.put_off(claimed.id, PUT_OFF_S, config["NOTIFICATION_ATTEMPTS"]):
            log.warning("notification %s given up after its attempts", claimed.id)
            return "failed"
        return "put_off"
    store.mark_sent(claimed.id)
    log.info("notification %s sent", claimed.id)
    return "sent"


@shared_task(name=VERIFY, acks_late=True)
def send_verification(person_id: str, address_key: str) -> str:
    """E-mail the link that verifies the person's address, if it is still the one given."""
    url, sender = _server_and_sender()
    contact = contact_of(person_id)
    if contact is None or contact.address_key != address_key or contact.verified_at:
        return "not_needed"
    if not url:
        log.warning("no SMTP_URL: the verification e-mail of person %s is not sent", person_id)
        return "waiting"
    subject, body = verification_text(contact.language, verification_token(contact))
    try:
        send(parse_smtp_url(url), message(sender, contact.email, subject, body))
    except RecipientRefused:
        contact_refused(person_id, address_key)
        return "refused"
    return "sent"


def contact_refused(person_id: str, address_key: str) -> None:
    """The server refused the address a verification link was for: marked, and shown."""
    contact = contact_of(person_id)
    if contact is not None and contact.address_key == address_key:
        contact.refused_at = contact.updated_at = clock.now()
        db.session.commit()


@shared_task(name=RECOVER, acks_late=True)
def recover_notifications() -> int:
    """Send again every notification queued and due, or whose worker's lease ran out."""
    ids = store.due()
    celery = current_app.extensions["celery"]
    for notification_id in ids:
        celery.send_task(SEND, (notification_id,), queue=QUEUE)
    if ids:
        log.info("notifications: %d sent again", len(ids))
    return len(ids)

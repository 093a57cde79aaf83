"""A person's e-mail address given or changed, and its verification link sent by a worker."""

from __future__ import annotations

import logging

from flask import current_app

from contactpoint.notifications import contact as contacts
from contactpoint.notifications.tasks import QUEUE, VERIFY
from contactpoint.platform.rate_limits import current as rate_limits

log = logging.getLogger(__name__)


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

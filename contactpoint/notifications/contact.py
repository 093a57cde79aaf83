"""A person's e-mail address: given, verified by a link sent to it, changed, removed.

The link carries a signed, expiring token (its own salt) bound to the person and to the
address (its keyed digest): once the address changes, a link sent to the old one does nothing.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from agencies import clock
from contactpoint.db.models import Contact
from contactpoint.db.protection import address_key
from contactpoint.extensions import db
from workflows import MessageKind

SALT = "kontaktpunkt contact verification"
KINDS = [str(kind) for kind in MessageKind]


class AddressError(ValueError):
    """Not an e-mail address a message can be sent to; the text says why."""


def checked_address(typed: str) -> str:
    """The address in its normal form, or AddressError (no DNS lookup: offline and private)."""
    try:
        return str(validate_email(typed.strip(), check_deliverability=False).normalized)
    except EmailNotValidError as error:
        raise AddressError(str(error)) from None


def contact_of(person_id: str) -> Contact | None:
    """The person's address, if they gave one."""
    return db.session.scalar(sa.select(Contact).where(Contact.person_id == person_id))


def contact_view(contact: Contact | None) -> dict[str, Any]:
    """What the person sees of it: the address, whether it is verified, whether it was refused,
    and the kinds of message they get no e-mail about."""
    if contact is None:
        return {"email": None, "verified": False, "refused": False, "muted_kinds": []}
    return {
        "email": contact.email,
        "verified": contact.verified_at is not None,
        "refused": contact.refused_at is not None,
        "muted_kinds": list(contact.muted_kinds or []),
    }


def set_address(person_id: str, typed: str, language: str) -> bool:
    """Give or change the address (committed); True when a verification e-mail is owed (a new
    address, or one not yet verified)."""
    email = checked_address(typed)
    key, moment = address_key(email), clock.now()
    contact = contact_of(person_id)
    if contact is None:
        contact = Contact(person_id=person_id, muted_kinds=[])
        db.session.add(contact)
    elif contact.address_key == key and contact.verified_at is not None:
        contact.email, contact.language, contact.updated_at = email, language, moment
        db.session.commit()
        return False
    contact.email, contact.address_key, contact.language = email, key, language
    contact.verified_at, contact.refused_at, contact.updated_at = None, None, moment
    db.session.commit()
    return True


def set_muted(person_id: str, kinds: list[str]) -> bool:
    """Turn off e-mail for these kinds of message (and on for the others); False: no address."""
    contact = contact_of(person_id)
    if contact is None:
        return False
    contact.muted_kinds = [kind for kind in KINDS if kind in kinds]
    contact.updated_at = clock.now()
    db.session.commit()
    return True


def remove_address(person_id: str) -> bool:
    """Forget the address; False if there was none. Notifications not yet sent are dropped
    when a worker takes them."""
    gone = db.session.execute(sa.delete(Contact).where(Contact.person_id == person_id))
    db.session.commit()
    return bool(gone.rowcount)  # type: ignore[attr-defined]


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def verification_token(contact: Contact) -> str:
    """The token of the link that verifies this address of this person."""
    return str(_serializer().dumps({"person": contact.person_id, "address": contact.address_key}))


def verify(token: str) -> bool:
    """Verify the address the token was made for, if it is still the person's and the token
    is neither altered nor older than VERIFY_LINK_DAYS."""
    max_age = int(current_app.config["VERIFY_LINK_DAYS"] * 86400)
    try:
        said = _serializer().loads(token, max_age=max_age)
    except BadSignature:  # altered, or expired (SignatureExpired is one)
        return False
    if not isinstance(said, dict):
        return False
    contact = contact_of(str(said.get("person")))
    if contact is None or contact.address_key != said.get("address"):
        return False
    if contact.verified_at is None:
        contact.verified_at = contact.updated_at = clock.now()
        db.session.commit()
    return True

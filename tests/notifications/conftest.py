"""Helpers of the e-mail tests: addresses of their own, the e-mails the test server caught for
them, an address verified through its link, and a message written as the workflows write one."""

from __future__ import annotations

import re
import uuid
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from contactpoint.platform.embedded_mail import EmbeddedSmtp
from tests.conftest import wait_until

# The test population: no notification may name any of them or hold their numbers.
POPULATION = {
    "19850312-2387": "Anna Lindqvist",
    "19870715-4574": "Erik Lindqvist",
    "20150411-3893": "Maja Lindqvist",
    "20191102-7496": "Olle Lindqvist",
    "19440225-3274": "Karin Berg",
    "19700101-6356": "Johan Nilsson",
}
LINK = re.compile(r"https?://[^/\s]+(/my-pages/contact/verify/\S+)")


def new_address() -> str:
    return f"kp-{uuid.uuid4().hex[:12]}@example.se"


def mails_to(server: EmbeddedSmtp, email: str) -> list[dict[str, Any]]:
    return [mail for mail in list(server.handler.mails) if email in mail["to"]]


def wait_for_mails(server: EmbeddedSmtp, email: str, count: int = 1) -> list[dict[str, Any]]:
    """The e-mails to `email`, once there are at least `count`."""
    return list(
        wait_until(lambda: len(mails_to(server, email)) >= count and mails_to(server, email))
    )


def verification_path(mail: dict[str, Any]) -> str:
    found = LINK.search(mail["text"])
    assert found, mail["text"]
    return found.group(1)


def give_and_verify(
    client: FlaskClient, headers: dict[str, str], server: EmbeddedSmtp, lang: str = "sv"
) -> str:
    """Give a new address through the API and follow the link e-mailed to it."""
    email = new_address()
    given = client.put(f"/api/v1/me/contact?lang={lang}", json={"email": email}, headers=headers)
    assert given.status_code == 200, given.json
    [mail] = wait_for_mails(server, email)
    assert client.get(verification_path(mail)).status_code == 200
    return email


def person_id(app: Flask, personal_number: str) -> str:
    from contactpoint.db.models import Person
    from contactpoint.extensions import db

    with app.app_context():
        found = db.session.scalar(
            sa.select(Person.id).where(Person.personal_number == personal_number)
        )
        db.session.remove()
    assert found
    return str(found)


def post_notice(app: Flask, to: str, kind: str = "notice") -> str:
    """Write a message as the workflows do (its notification in the same transaction)."""
    from contactpoint.db.message_store import MessageStore
    from workflows import MessageKind
    from workflows.messages import NewMessage

    key = f"test:{uuid.uuid4().hex}"
    words = {"title": {"sv": "Hej", "en": "Hello"}, "text": {"sv": "Text", "en": "Text"}}
    with app.app_context():
        MessageStore().post_messages(
            [NewMessage(key=key, kind=MessageKind(kind), params=words, person_id=to)]
        )
    return key


def notifications_of(app: Flask, to: str) -> list[Any]:
    from contactpoint.db.models import Notification
    from contactpoint.extensions import db

    with app.app_context():
        rows = (
            db.session.execute(sa.select(Notification).where(Notification.person_id == to))
            .scalars()
            .all()
        )
        found = [
            {
                name: getattr(row, name)
                for name in ("id", "message_id", "state", "messages", "due_at", "sent_at")
            }
            for row in rows
        ]
        db.session.remove()
    return found

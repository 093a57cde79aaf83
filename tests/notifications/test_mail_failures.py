"""A mail server that refuses a notification's message for good, or keeps saying "later": the
first is given up at once, the second tried again ever later and given up after its attempts.
The message stays in the mailbox either way. A real SMTP server and a real worker."""

from __future__ import annotations

import smtplib
import subprocess

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from agencies import clock
from contactpoint.config.smtp import parse_smtp_url
from contactpoint.db import notification_store as store
from contactpoint.db.models import Message, Notification, utc
from contactpoint.extensions import db
from contactpoint.notifications.mail import MessageRefused, message, send
from contactpoint.platform.embedded_mail import EmbeddedSmtp
from tests.conftest import token_for, wait_until

from .conftest import give_and_verify, new_address, notifications_of, person_id, post_notice

JOHAN = "19700101-6356"
SARA = "19920604-2823"  # no other e-mail test writes to her: her hour's limit is all hers


def test_a_5xx_to_the_message_is_refused_for_good_and_a_4xx_is_for_later(
    mail_server: EmbeddedSmtp,
) -> None:
    server = parse_smtp_url(mail_server.url)
    refused, busy = new_address(), new_address()
    mail_server.handler.refuse_content.add(refused)
    mail_server.handler.busy.add(busy)
    with pytest.raises(MessageRefused):
        send(server, message("kp@example.se", refused, "Hej", "Text"))
    with pytest.raises(smtplib.SMTPDataError) as later:
        send(server, message("kp@example.se", busy, "Hej", "Text"))
    assert later.value.smtp_code == 451


def test_a_notification_whose_message_is_refused_is_given_up_at_once(
    app: Flask, client: FlaskClient, mail_server: EmbeddedSmtp, worker: subprocess.Popen[bytes]
) -> None:
    sara = token_for(client, SARA)
    email = give_and_verify(client, sara, mail_server)
    mail_server.handler.refuse_content.add(email)
    to = person_id(app, SARA)
    before = {row["id"] for row in notifications_of(app, to)}
    post_notice(app, to, kind="suggestion")

    def settled() -> list[dict[str, object]]:
        return [r for r in notifications_of(app, to) if r["id"] not in before and r["state"]
                not in ("queued", "sending")]  # fmt: skip

    [row] = wait_until(settled)
    assert row["state"] == "failed" and row["sent_at"] is None
    messages = client.get("/api/v1/me/messages", headers=sara).json
    assert any(m["kind"] == "suggestion" for m in messages)  # still in the mailbox


def test_a_server_that_keeps_saying_later_is_tried_ever_later_then_given_up(app: Flask) -> None:
    """The store's side: each attempt claimed as a worker claims it, then put off."""
    johan = person_id(app, JOHAN)
    key = post_notice(app, johan)
    with app.app_context():
        message_id = db.session.scalar(sa.select(Message.id).where(Message.key == key))
        row = Notification(
            message_id=message_id, person_id=johan, address_key=f"test-{key[-12:]}",
            language="sv", state="sending", messages=1, due_at=clock.now(), attempts=0,
            created_at=clock.now(),
        )  # fmt: skip
        db.session.add(row)
        db.session.commit()
        for attempt in range(1, 5):
            row.attempts, row.state = attempt, "sending"
            db.session.commit()
            start = clock.now()
            assert store.put_off(row.id, 60.0, attempts=4) is (attempt < 4)
            db.session.refresh(row)
            if attempt < 4:
                waited = (utc(row.due_at) - start).total_seconds()
                assert row.state == "queued"
                assert waited == pytest.approx(60.0 * 2 ** (attempt - 1), abs=2)
        assert row.state == "failed"
        db.session.delete(row)
        db.session.commit()

"""E-mail notifications through a real SMTP server, sent by a real worker: the address verified
by its link (an old link does nothing), a notification for a complement request and for a
decision that names no one, the hour's limit folding the rest into one, a kind turned off,
and an address the server refuses."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from flask import Flask
from flask.testing import FlaskClient

from contactpoint.platform.embedded_mail import EmbeddedSmtp
from tests.conftest import ANNA, NOTIFICATIONS_PER_HOUR, token_for, wait_until
from tests.helpers.officer import agency_headers
from tests.messages.test_mailbox import waiting_at_the_agency

from .conftest import (
    POPULATION,
    give_and_verify,
    mails_to,
    new_address,
    notifications_of,
    person_id,
    post_notice,
    verification_path,
    wait_for_mails,
)

ERIK = "19870715-4574"
KARIN = "19440225-3274"
JOHAN = "19700101-6356"
OLLE = "20191102-7496"


def test_an_address_is_used_once_its_link_is_followed_and_an_old_link_does_nothing(
    client: FlaskClient, mail_server: EmbeddedSmtp, worker: subprocess.Popen[bytes]
) -> None:
    anna = token_for(client, ANNA)
    refused = client.put("/api/v1/me/contact", json={"email": "not an address"}, headers=anna)
    assert refused.status_code == 422 and refused.json["message"]

    first, second = new_address(), new_address()
    given = client.put("/api/v1/me/contact?lang=en", json={"email": first}, headers=anna)
    assert given.json == {"email": first, "verified": False, "refused": False, "muted_kinds": []}
    [old] = wait_for_mails(mail_server, first)
    assert old["subject"] == "Confirm your e-mail address"
    client.put("/api/v1/me/contact", json={"email": second}, headers=anna)  # changed: Swedish
    [new] = wait_for_mails(mail_server, second)
    assert new["subject"] == "Visa att adressen är din"

    assert client.get(verification_path(old)).status_code == 400  # bound to the old address
    assert client.get("/api/v1/me/contact", headers=anna).json["verified"] is False
    path, _query = verification_path(new).split("?")
    tampered = path[:-3] + ("abc" if not path.endswith("abc") else "abd")
    assert client.get(tampered).status_code == 400
    assert client.get(verification_path(new)).status_code == 200
    assert client.get("/api/v1/me/contact", headers=anna).json == {
        "email": second,
        "verified": True,
        "refused": False,
        "muted_kinds": [],
    }
    exported = client.get("/api/v1/me/export", headers=anna).json["contact"]
    assert exported["email"] == second and exported["verified_at"] and exported["language"] == "sv"

    assert client.delete("/api/v1/me/contact", headers=anna).status_code == 204
    assert client.get("/api/v1/me/contact", headers=anna).json["email"] is None
    assert client.delete("/api/v1/me/contact", headers=anna).status_code == 404


def test_a_complement_request_and_a_decision_each_notify_and_name_no_one(
    app: Flask, client: FlaskClient, mail_server: EmbeddedSmtp, worker: subprocess.Popen[bytes]
) -> None:
    erik = token_for(client, ERIK)
    email = give_and_verify(client, erik, mail_server, lang="en")
    headers = agency_headers(client, "forsakringskassan")
    asked = {"decision": "complement", "question": "Is Anna Lindqvist 19850312-2387 moving?"}
    rejected = {"decision": "reject", "reason": "Karin Berg 19440225-3274 says no."}
    found = []
    for count, body in enumerate((asked, rejected), start=2):
        _case_id, step_id = waiting_at_the_agency(client, erik)
        decision = f"/api/v1/agencies/forsakringskassan/steps/{step_id}/decision"
        assert client.post(decision, json=body, headers=headers).status_code == 200
        found.append(wait_for_mails(mail_server, email, count)[-1])
    complement, decided = found

    for mail in (complement, decided):
        assert mail["subject"] == "You have a new message in Kontaktpunkt"
        assert "/my-pages/messages" in mail["text"]
        assert mail["message_id"].startswith("<notification-")
        whole = mail["subject"] + mail["text"]
        for number, name in POPULATION.items():
            assert number not in whole and number.replace("-", "") not in whole
            for part in name.split():
                assert part not in whole
        assert "moving" not in whole and "says no" not in whole
        assert "Försäkringskassan" not in whole
    assert complement["message_id"] != decided["message_id"]


def test_past_the_hours_limit_new_messages_fold_into_one_sent_when_the_hour_allows(
    app: Flask,
    client: FlaskClient,
    mail_server: EmbeddedSmtp,
    worker: subprocess.Popen[bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from agencies import clock
    from contactpoint.notifications.tasks import send_notification

    johan = token_for(client, JOHAN)
    email = give_and_verify(client, johan, mail_server)
    johan_id = person_id(app, JOHAN)
    for sent in range(1, NOTIFICATIONS_PER_HOUR + 1):  # each sent before the next is written
        post_notice(app, johan_id)
        wait_for_mails(mail_server, email, 1 + sent)  # the link, then the notifications
    post_notice(app, johan_id)
    post_notice(app, johan_id)

    def folded() -> list[dict[str, object]]:
        rows = notifications_of(app, johan_id)
        waiting = [row for row in rows if row["state"] == "queued"]
        return waiting if waiting and waiting[0]["due_at"] is not None else []

    [waiting] = wait_until(lambda: [r for r in folded() if r["messages"] == 2])
    assert sum(1 for row in notifications_of(app, johan_id) if row["state"] == "sent") == 3
    assert len(mails_to(mail_server, email)) == 1 + NOTIFICATIONS_PER_HOUR  # none more

    later = clock.now() + dt.timedelta(hours=1, seconds=1)  # the hour has passed
    monkeypatch.setattr(clock, "now", lambda: later)
    monkeypatch.setitem(app.config, "SMTP_URL", mail_server.url)
    with app.app_context():
        assert send_notification.run(waiting["id"]) == "sent"
    last = mails_to(mail_server, email)[-1]
    assert last["subject"] == "Du har 2 nya meddelanden i Kontaktpunkt"


def test_a_kind_turned_off_sends_no_email_and_the_others_still_do(
    app: Flask, client: FlaskClient, mail_server: EmbeddedSmtp, worker: subprocess.Popen[bytes]
) -> None:
    karin = token_for(client, KARIN)
    email = give_and_verify(client, karin, mail_server)
    off = {"email": email, "muted_kinds": ["notice"]}
    assert client.put("/api/v1/me/contact", json=off, headers=karin).json["muted_kinds"] == [
        "notice"
    ]
    karin_id = person_id(app, KARIN)
    before = len(notifications_of(app, karin_id))
    post_notice(app, karin_id, "notice")
    post_notice(app, karin_id, "suggestion")

    [_link, suggestion] = wait_for_mails(mail_server, email, 2)
    assert suggestion["subject"] == "Du har ett nytt meddelande i Kontaktpunkt"
    assert len(notifications_of(app, karin_id)) == before + 1  # none for the notice


def test_an_address_the_server_refuses_is_marked_and_shown(
    app: Flask, client: FlaskClient, mail_server: EmbeddedSmtp, worker: subprocess.Popen[bytes]
) -> None:
    from tests.helpers.pages import login

    olle = token_for(client, OLLE)
    email = new_address()
    mail_server.handler.refuse.add(email)
    assert client.put("/api/v1/me/contact", json={"email": email}, headers=olle).status_code == 200
    wait_until(lambda: client.get("/api/v1/me/contact", headers=olle).json["refused"])
    assert mails_to(mail_server, email) == []

    page = app.test_client()
    login(page, OLLE)
    shown = page.get("/my-pages/contact").get_data(as_text=True)
    assert 'data-status="refused"' in shown and "Fungerar inte" in shown

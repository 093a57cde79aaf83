"""The mailbox: a complement request, a decision and a deadline each become one message, read
in the reader's language, in the API, on the pages, in the export, and gone with their case."""

from __future__ import annotations

import subprocess
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import ANNA, token_for
from tests.helpers.officer import agency_headers, submit, wait_for_step
from tests.helpers.pages import login

ERIK = "19870715-4574"
KARIN = "19440225-3274"


def decide(client: FlaskClient, step_id: str, expect: int = 200, **body: Any) -> None:
    response = client.post(
        f"/api/v1/agencies/forsakringskassan/steps/{step_id}/decision",
        json=body,
        headers=agency_headers(client, "forsakringskassan"),
    )
    assert response.status_code == expect, response.json


def messages(client: FlaskClient, headers: dict[str, str], lang: str = "sv") -> list[Any]:
    response = client.get(f"/api/v1/me/messages?lang={lang}", headers=headers)
    assert response.status_code == 200, response.json
    return list(response.json)


def of_case(found: list[Any], case_id: str) -> list[Any]:
    return [message for message in found if message["case_id"] == case_id]


def waiting_at_the_agency(client: FlaskClient, headers: dict[str, str]) -> tuple[str, str]:
    case = submit(client, headers)
    step = wait_for_step(client, headers, case["id"], "housing-allowance", "waiting", "agency")
    return case["id"], step["id"]


def test_a_complement_request_is_one_unread_message_in_the_readers_language(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    erik = token_for(client, ERIK)
    case_id, step_id = waiting_at_the_agency(client, erik)
    decide(client, step_id, decision="complement", question="What is the rent?")

    [message] = of_case(messages(client, erik), case_id)
    assert message["kind"] == "complement" and message["read_at"] is None
    assert message["step_id"] == step_id
    assert message["title"] == "Försäkringskassan behöver fler uppgifter från dig"
    assert "What is the rent?" in message["text"]
    assert message["action"]["type"] == "answer"
    assert message["action"]["url"].endswith(f"/my-pages/cases/{case_id}#question-{step_id}")
    [english] = of_case(messages(client, erik, "en"), case_id)
    assert english["title"].endswith(" needs more information from you")

    read = client.post(f"/api/v1/me/messages/{message['id']}/read", headers=erik)
    assert read.status_code == 200 and read.json["read_at"] is not None
    again = client.post(f"/api/v1/me/messages/{message['id']}/read", headers=erik)
    assert again.json["read_at"] == read.json["read_at"]  # marked once
    anna = token_for(client, ANNA)  # another person's message is no message
    refused = client.post(f"/api/v1/me/messages/{message['id']}/read", headers=anna)
    assert refused.status_code == 404 and refused.json["message"]


def test_an_approval_and_a_rejection_each_make_one_message(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    erik = token_for(client, ERIK)
    approved, approved_step = waiting_at_the_agency(client, erik)
    decide(client, approved_step, decision="approve", reference="FK-2026-77")
    decide(client, approved_step, 409, decision="approve", reference="FK-2026-77")  # replayed
    rejected, rejected_step = waiting_at_the_agency(client, erik)
    decide(client, rejected_step, decision="reject", reason="The rent is too high.")

    found = messages(client, erik, "en")
    [yes], [no] = of_case(found, approved), of_case(found, rejected)
    assert yes["kind"] == no["kind"] == "decision"
    assert "FK-2026-77" in yes["text"] and "approved" in yes["title"]
    assert "The rent is too high." in no["text"] and "said no" in no["title"]
    assert found.index(no) < found.index(yes)  # newest first


def test_a_declared_deadline_is_a_reminder_when_the_case_is_sent(
    app: Flask, client: FlaskClient
) -> None:
    karin = token_for(client, KARIN)
    event = client.get("/api/v1/life-events/bereavement").json
    body = {"life_event": "bereavement", "answers": event["example_answers"], "consent": True}
    response = client.post("/api/v1/cases", json=body, headers=karin)
    assert response.status_code == 201, response.json

    [reminder] = of_case(messages(client, karin), response.json["id"])
    assert reminder["kind"] == "reminder"
    assert reminder["title"] == "Påminnelse: Bouppteckning"
    assert reminder["text"].startswith("Håll bouppteckningen senast ")


def test_the_pages_list_mark_and_count_unread_messages(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    erik = token_for(client, ERIK)
    case_id, step_id = waiting_at_the_agency(client, erik)
    decide(client, step_id, decision="complement", question="Which floor?")
    unread = sum(1 for message in messages(client, erik) if message["read_at"] is None)
    [message] = of_case(messages(client, erik), case_id)

    page = app.test_client()
    login(page, ERIK)
    mine = page.get("/my-pages").get_data(as_text=True)
    assert f'data-unread="{unread}"' in mine
    listing = page.get("/my-pages/messages").get_data(as_text=True)
    assert f'data-message="{message["id"]}"' in listing and "Oläst" in listing
    opened = page.get(f"/my-pages/messages/{message['id']}").get_data(as_text=True)
    assert "Which floor?" in opened and f"#question-{step_id}" in opened
    after = page.get("/my-pages").get_data(as_text=True)  # kept page, new version
    assert (f'data-unread="{unread - 1}"' in after) if unread > 1 else "data-unread" not in after
    assert page.get("/my-pages/messages/nothing-here").status_code == 404


def test_messages_are_exported_and_removed_with_their_case(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    from contactpoint.db.models import Case, Message
    from contactpoint.db.retention_store import RetentionSql
    from contactpoint.extensions import db

    erik = token_for(client, ERIK)
    case_id, step_id = waiting_at_the_agency(client, erik)
    decide(client, step_id, decision="reject", reason="No.")
    export = client.get("/api/v1/me/export", headers=erik).json
    assert [m["kind"] for m in export["mailbox"] if m["case_id"] == case_id] == ["decision"]

    with app.app_context():
        RetentionSql()._remove_cases([case_id])
        db.session.commit()
        assert db.session.get(Case, case_id) is None
        left = db.session.scalars(sa.select(Message).where(Message.case_id == case_id)).all()
        assert left == []

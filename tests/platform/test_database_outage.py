"""PostgreSQL out of reach (a restart, a failover): every request that needs it answers 503 with
when to try again, in JSON under /api and as a page elsewhere, and logs one line without a
stack trace; once the database is back, the next request is served, with no restart."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from flask import Flask

from contactpoint.platform.embedded import EmbeddedRedis
from tests.conftest import (
    example,
    prepared_app,
    redis_database,
    set_connections,
    token_for,
)
from tests.helpers.headers import assert_security_headers
from tests.helpers.officer import officer_login
from tests.helpers.pages import csrf, login

OUTAGE_REDIS_DB = 13  # a Redis database of this test's own


@pytest.fixture()
def outage_app(own_postgres: str, redis_server: EmbeddedRedis, tmp_path: Path) -> Iterator[Flask]:
    """The app on a PostgreSQL database of its own, migrated and seeded."""
    sandbox = f"sqlite:///{tmp_path / 'sandbox.db'}"
    with (
        redis_database(redis_server, OUTAGE_REDIS_DB) as redis_url,
        prepared_app(own_postgres, redis_url, sandbox) as app,
    ):
        yield app


def assert_logged_without_a_trace(caplog: pytest.LogCaptureFixture, path: str) -> None:
    said = [record for record in caplog.records if "database unavailable" in record.getMessage()]
    assert said and all(path in record.getMessage() for record in said)
    assert all(record.levelno == logging.WARNING for record in said)
    assert not [record for record in caplog.records if record.exc_info], "no stack trace"


def test_the_api_answers_503_with_when_to_try_again_and_serves_once_it_is_back(
    outage_app: Flask, own_postgres: str, caplog: pytest.LogCaptureFixture
) -> None:
    client = outage_app.test_client()
    headers = token_for(client)
    case = {"life_event": "moving", "answers": example(client), "consent": True}
    assert client.post("/api/v1/cases", json=case, headers=headers).status_code == 201

    set_connections(own_postgres, allowed=False)
    caplog.clear()
    sent = client.post("/api/v1/cases", json=case, headers=headers)
    read = client.get("/api/v1/cases", headers=headers)
    for response in (sent, read):
        assert response.status_code == 503, response.get_data(as_text=True)
        assert response.headers["Retry-After"] == "30"
        body = response.json
        assert body["code"] == 503 and body["retry_after_s"] == 30
        assert "cannot reach its database just now. Try again in 30 seconds." in body["message"]
        assert "Traceback" not in response.get_data(as_text=True)
        assert_security_headers(response)
    assert "(a case submitted: list the cases) before sending it again" in sent.json["message"]
    assert "sending it again" not in read.json["message"]  # a read sent nothing
    assert_logged_without_a_trace(caplog, "/api/v1/cases")
    spec = client.get("/api/v1/openapi.json").json  # served with no database, and says so
    assert "A 503 means the service cannot reach its database" in spec["info"]["description"]

    set_connections(own_postgres, allowed=True)
    listed = client.get("/api/v1/cases", headers=headers)  # the pool's dead connections replaced
    assert listed.status_code == 200
    assert len(listed.json) == 1  # the submission refused during the outage was not stored
    assert client.post("/api/v1/cases", json=case, headers=headers).status_code == 201


def hidden_form(html: str) -> tuple[str, dict[str, str]]:
    """The action and the hidden fields of the page's form."""
    action = re.search(r'<form method="post" action="([^"]+)"', html)
    assert action, "the page has a form to send again"
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html)
    return unescape(action.group(1)), {name: unescape(value) for name, value in fields}


def test_a_page_says_the_service_is_unavailable_and_keeps_what_was_sent_to_send_it_again(
    outage_app: Flask, own_postgres: str, caplog: pytest.LogCaptureFixture
) -> None:
    client = outage_app.test_client()
    login(client)
    start = client.get("/life-events/moving").get_data(as_text=True)
    page = client.post("/life-events/moving/begin", data={"csrf_token": csrf(start)})
    url = page.headers["Location"]
    form = client.get(url).get_data(as_text=True)

    set_connections(own_postgres, allowed=False)
    caplog.clear()
    read = client.get("/my-pages")
    assert read.status_code == 503 and read.headers["Retry-After"] == "30"
    assert_security_headers(read)
    text = read.get_data(as_text=True)
    assert "Tyvärr går tjänsten inte att använda just nu" in text
    assert "Försök igen om en minut." in text and "Skicka igen" not in text

    sent = client.post(url, data={"csrf_token": csrf(form), "move_date": "2027-01-15"})
    assert sent.status_code == 503 and sent.headers["Cache-Control"] == "no-store"
    assert_security_headers(sent)
    text = sent.get_data(as_text=True)
    assert "Det du skickade kanske inte sparades. Den här sidan har kvar det" in text
    assert "Titta först på Mina sidor" in text and "Skicka igen" in text
    action, kept = hidden_form(text)
    assert action == url and kept["move_date"] == "2027-01-15"
    english = client.get("/my-pages?lang=en").get_data(as_text=True)
    assert "Sorry, the service is unavailable just now" in english
    assert "Traceback" not in text + english
    assert_logged_without_a_trace(caplog, "/")

    set_connections(own_postgres, allowed=True)
    again = client.post(action, data=kept)  # the citizen presses "Send again"
    assert again.status_code == 302 and again.headers["Location"].endswith("/new_address")
    assert 'value="2027-01-15"' in client.get(url).get_data(as_text=True)  # saved this time


def test_an_officer_is_not_told_to_look_in_my_pages(outage_app: Flask, own_postgres: str) -> None:
    client = outage_app.test_client()
    officer_login(client, "skatteverket-s")  # a supervisor: may send a queue's steps now
    inbox = client.get("/officer?queue=unreachable&lang=en").get_data(as_text=True)

    set_connections(own_postgres, allowed=False)
    sent = client.post("/officer/send-now", data={"csrf_token": csrf(inbox)})
    assert sent.status_code == 503
    text = sent.get_data(as_text=True)
    assert "This page has kept it" in text and "Send again" in text
    assert "My pages" not in text

"""PostgreSQL out of reach (a restart, a failover): every request that needs it answers 503 with
when to try again, in JSON under /api and as a page elsewhere, and logs one line without a
stack trace; once the database is back, the next request is served, with no restart."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from contactpoint.embedded import EmbeddedRedis
from tests.conftest import (
    ANNA,
    example,
    prepared_app,
    redis_database,
    set_connections,
    token_for,
)
from tests.web.test_pages import csrf, login

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
    for response in (
        client.post("/api/v1/cases", json=case, headers=headers),
        client.get("/api/v1/cases", headers=headers),
    ):
        assert response.status_code == 503, response.get_data(as_text=True)
        assert response.headers["Retry-After"] == "30"
        body = response.json
        assert body["code"] == 503 and body["retry_after_s"] == 30
        assert "cannot reach its database" in body["message"]
        assert "list the cases before sending it again" in body["message"]
        assert "Traceback" not in response.get_data(as_text=True)
    assert_logged_without_a_trace(caplog, "/api/v1/cases")
    spec = client.get("/api/v1/openapi.json").json  # served with no database, and says so
    assert "A 503 means the service cannot reach its database" in spec["info"]["description"]

    set_connections(own_postgres, allowed=True)
    listed = client.get("/api/v1/cases", headers=headers)  # the pool's dead connections replaced
    assert listed.status_code == 200
    assert len(listed.json) == 1  # the submission refused during the outage was not stored
    assert client.post("/api/v1/cases", json=case, headers=headers).status_code == 201


def test_a_page_says_the_service_is_unavailable_and_what_to_do_in_the_citizens_language(
    outage_app: Flask, own_postgres: str, caplog: pytest.LogCaptureFixture
) -> None:
    client = outage_app.test_client()
    login(client)
    assert client.get("/my-pages").status_code == 200
    form = client.get("/login").get_data(as_text=True)

    set_connections(own_postgres, allowed=False)
    caplog.clear()
    read = client.get("/my-pages")
    assert read.status_code == 503 and read.headers["Retry-After"] == "30"
    text = read.get_data(as_text=True)
    assert "Tyvärr går tjänsten inte att använda just nu" in text
    assert "Försök igen om en minut." in text and "kanske inte sparades" not in text

    sent = client.post("/login", data={"csrf_token": csrf(form), "personal_number": ANNA})
    assert sent.status_code == 503
    text = sent.get_data(as_text=True)
    assert "Det du skickade kanske inte sparades. Försök igen om en minut." in text
    assert "Titta först på Mina sidor" in text
    english = client.get("/my-pages?lang=en").get_data(as_text=True)
    assert "Sorry, the service is unavailable just now" in english
    assert "Traceback" not in text + english
    assert_logged_without_a_trace(caplog, "/")

    set_connections(own_postgres, allowed=True)
    assert client.get("/my-pages").status_code == 200

"""Rate limits, counted in a real Redis: cases one person may send, wrong agency secrets one
address may try. An app of their own with small limits, on the run's database and Redis server
(a Redis database of its own, emptied afterwards)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
import sqlalchemy as sa
from celery import current_app as current_celery
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client import REGISTRY

from contactpoint import create_app
from contactpoint.config import ConfigError, load_config
from contactpoint.db.models import Draft, Person
from contactpoint.extensions import db, dispose_engines
from contactpoint.mina_arenden.keys import key_digests
from contactpoint.platform.embedded import EmbeddedRedis, free_port
from tests.conftest import ANNA, example, token_for
from tests.helpers.pages import csrf, login, post_page
from workflows import runtime

ERIK = "19870715-4574"
NO_CHILDREN = "19700101-6356"
SECRET = "a-secret-of-skatteverket"
LIMITS_DB = 9
CREDENTIALS = {"grant_type": "client_credentials", "client_id": "skatteverket"}
FORWARDING_KEY = "the-forwarding-services-key-0123456789abcdef"


def _app(settings: dict[str, Any]) -> Flask:
    return create_app({"TESTING": True, "SECRET_KEY": "test-secret", **settings})


@pytest.fixture()
def limited(app: Flask, app_env: dict[str, str], redis_server: EmbeddedRedis) -> Iterator[Flask]:
    """Two cases an hour per person, three wrong secrets (and three wrong Mina ärenden keys) a
    minute per address, one proxy; on the database the run's `app` prepared."""
    previous_runtime, previous_celery = runtime._current, current_celery._get_current_object()
    url = f"redis://127.0.0.1:{redis_server.port}/{LIMITS_DB}"
    limited_app = _app(
        {
            "SQLALCHEMY_DATABASE_URI": app_env["DATABASE_URL"],
            "SANDBOX_DATABASE_URL": app_env["CONTACTPOINT_SANDBOX_URL"],
            "REDIS_URL": url,
            "SUBMISSION_LIMIT": "2 per hour",
            "VERIFICATION_LIMIT": "2 per hour",
            "TOKEN_FAILURE_LIMIT": "3 per minute",
            "MINA_ARENDEN_FAILURE_LIMIT": "3 per minute",
            "MINA_ARENDEN_KEY_HASHES": key_digests([FORWARDING_KEY]),
            "PROXY_HOPS": 1,
            "AGENCY_CLIENT_SECRETS": {"skatteverket": SECRET},
        }
    )
    yield limited_app
    with limited_app.app_context():
        db.session.remove()
        dispose_engines()
    redis.Redis.from_url(url).flushdb()  # the counts, and the steps no worker here will take
    runtime._current = previous_runtime
    previous_celery.set_default()


def _refused(kind: str) -> float:
    return REGISTRY.get_sample_value("contactpoint_rate_limited_total", {"kind": kind}) or 0.0


def _send(client: FlaskClient, headers: dict[str, str], **changes: Any) -> Any:
    alone = {**example(client), "moving_along": ["none"]}  # whoever sends it moves alone
    body = {"life_event": "moving", "answers": alone, "consent": True, **changes}
    return client.post("/api/v1/cases", json=body, headers=headers)


def test_a_person_may_send_only_so_many_cases_and_nothing_is_sent_past_it(
    limited: Flask,
) -> None:
    client = limited.test_client()
    anna, erik = token_for(client, ANNA), token_for(client, ERIK)
    before = len(client.get("/api/v1/cases", headers=anna).json)
    refused = _refused("submissions")

    assert _send(client, anna, consent=False).status_code == 422  # no consent: not counted
    assert [_send(client, anna).status_code for _ in range(2)] == [201, 201]
    response = _send(client, anna)

    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 3600
    assert response.json["retry_after_s"] == int(response.headers["Retry-After"])
    assert "as many cases as one may (2 per 1 hour)" in response.json["message"]
    assert "try again in about" in response.json["message"]  # minutes, for an hour's window
    assert len(client.get("/api/v1/cases", headers=anna).json) == before + 2
    assert _refused("submissions") == refused + 1
    assert _send(client, erik).status_code == 201  # another person's room is their own


def test_the_check_page_keeps_the_answers_and_says_when_past_the_limit(limited: Flask) -> None:
    client = limited.test_client()
    citizen = token_for(client, NO_CHILDREN)
    assert [_send(client, citizen).status_code for _ in range(2)] == [201, 201]
    client.get("/?lang=en")
    login(client, NO_CHILDREN)
    start = client.get("/life-events/moving").get_data(as_text=True)
    location = client.post("/life-events/moving/begin", data={"csrf_token": csrf(start)}).headers[
        "Location"
    ]
    for data in (
        {"move_date": "2026-12-20"},
        {
            "new_street": "Sysslomansgatan 3",
            "new_postal_code": "753 11",
            "new_municipality": "0380",
        },
        {"studying": "no"},
        {"pensioner": "no"},
        {"housing": "own"},
    ):
        status, location, html = post_page(client, location, data)
        assert status == 302, html
    assert location.endswith("/check")

    try:
        status, _, html = post_page(client, location, {"consent": "yes"})
        kept = client.get(location)
        client.get("/?lang=sv")
        swedish = post_page(client, location, {"consent": "yes"})
    finally:  # the draft stays for this person's next journey in other tests otherwise
        with limited.app_context():
            person = sa.select(Person.id).where(Person.personal_number == NO_CHILDREN)
            db.session.execute(sa.delete(Draft).where(Draft.person_id == person.scalar_subquery()))
            db.session.commit()

    assert status == 429
    assert "You have sent many applications in a short time" in html
    assert "your answers are kept here. You can send them from" in html
    assert 'href="#consent"' not in html  # the consent was given: nothing to fix there
    assert kept.status_code == 200 and "Sysslomansgatan 3" in kept.get_data(as_text=True)
    assert swedish[0] == 429 and "Du har skickat många ansökningar på kort tid" in swedish[2]


def test_wrong_agency_secrets_are_limited_per_client_address(limited: Flask) -> None:
    client = limited.test_client()

    def token(secret: str, address: str) -> Any:
        return client.post(
            "/api/v1/agencies/token",
            json={**CREDENTIALS, "client_secret": secret},
            headers={"X-Forwarded-For": address},  # one proxy in front (PROXY_HOPS=1)
        )

    assert {token(SECRET, "203.0.113.5").status_code for _ in range(5)} == {200}  # not counted
    assert [token("guess", "203.0.113.5").status_code for _ in range(3)] == [401, 401, 401]
    refused = token(SECRET, "203.0.113.5")  # out of room: even the right secret waits

    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
    message = refused.json["message"]
    assert "Too many wrong secrets from this address (3 per 1 minute)" in message
    assert f"Try again in {refused.json['retry_after_s']} seconds" in message
    assert "access_token" not in refused.json
    assert token(SECRET, "203.0.113.6").status_code == 200  # another address is not held up


def test_wrong_mina_arenden_keys_are_limited_per_client_address(limited: Flask) -> None:
    client = limited.test_client()
    body = {
        "fraga": {"parter": [{"kund": {"identifierare": "198503122387", "typ": "Personnummer"}}]}
    }
    body["anvandare"] = "198503122387"

    def ask(key: str, address: str) -> Any:
        headers = {"X-API-Key": key, "skv_client_correlation_id": "c-1", "X-Forwarded-For": address}
        return client.post(
            "/api/v1/mina-arenden/kundhandelseFragaSynkron", json=body, headers=headers
        )

    assert {ask(FORWARDING_KEY, "203.0.113.7").status_code for _ in range(5)} == {200}
    assert [ask("x" * 40, "203.0.113.7").status_code for _ in range(3)] == [401, 401, 401]
    refused = ask(FORWARDING_KEY, "203.0.113.7")  # out of room: even the right key waits

    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "Too many wrong API keys from this address (3 per 1 minute)" in refused.json["message"]
    assert set(refused.json) == {"message"}  # the standard's error, a message alone
    assert _refused("mina_arenden_key_failures") >= 1
    assert ask(FORWARDING_KEY, "203.0.113.8").status_code == 200  # another address is not held up


def test_the_limits_let_requests_through_when_redis_cannot_be_reached(tmp_path: Path) -> None:
    previous_runtime, previous_celery = runtime._current, current_celery._get_current_object()
    app = _app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}",
            "SANDBOX_DATABASE_URL": f"sqlite:///{tmp_path / 'sandbox.sqlite'}",
            "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
            "TOKEN_FAILURE_LIMIT": "1 per minute",
            "AGENCY_CLIENT_SECRETS": {"skatteverket": SECRET},
        }
    )
    client = app.test_client()
    try:
        body = {**CREDENTIALS, "client_secret": "guess"}
        statuses = [client.post("/api/v1/agencies/token", json=body).status_code for _ in range(3)]
        body["client_secret"] = SECRET
        answered = client.post("/api/v1/agencies/token", json=body)
    finally:
        runtime._current = previous_runtime
        previous_celery.set_default()
    assert statuses == [401, 401, 401]
    assert answered.status_code == 200 and answered.json["access_token"]


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("CONTACTPOINT_SUBMISSION_LIMIT", "twenty an hour"),
        ("CONTACTPOINT_TOKEN_FAILURE_LIMIT", "10 per fortnight"),
        ("CONTACTPOINT_MINA_ARENDEN_FAILURE_LIMIT", "many"),
        ("CONTACTPOINT_PROXY_HOPS", "-1"),
    ],
)
def test_a_bad_limit_stops_the_start_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match=variable):
        load_config(str(tmp_path))


def test_a_limit_may_be_switched_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CONTACTPOINT_SUBMISSION_LIMIT", "off")
    assert load_config(str(tmp_path))["SUBMISSION_LIMIT"] == "off"


def test_a_person_gets_only_so_many_verification_links_and_past_it_nothing_changes(
    limited: Flask,
) -> None:
    client = limited.test_client()
    erik = token_for(client, ERIK)
    addresses = [f"erik-{n}@example.se" for n in range(3)]
    for email in addresses[:2]:
        assert (
            client.put("/api/v1/me/contact", json={"email": email}, headers=erik).status_code == 200
        )
    refused = client.put("/api/v1/me/contact", json={"email": addresses[2]}, headers=erik)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert "as many verification links as one may (2 per 1 hour)" in refused.json["message"]
    assert client.get("/api/v1/me/contact", headers=erik).json["email"] == addresses[1]

    login(client, ERIK)
    page = client.get("/my-pages/contact?lang=en").get_data(as_text=True)
    typed = "erik-page@example.se"
    shown = client.post("/my-pages/contact", data={"csrf_token": csrf(page), "email": typed})
    html = shown.get_data(as_text=True)
    assert shown.status_code == 429 and f'value="{typed}"' in html
    assert "You have asked for many links just now" in html
    assert client.get("/api/v1/me/contact", headers=erik).json["email"] == addresses[1]
    client.delete("/api/v1/me/contact", headers=erik)

"""Sessions end after 30 idle minutes (15 for officers) and at an absolute limit, with the
"You'll be signed out soon" warning first and a way to stay; time moves through the one clock,
`agencies.clock`, never by sleeping."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from agencies import clock
from tests.conftest import ANNA
from tests.helpers.officer import officer_login
from tests.helpers.pages import csrf, login

Move = Callable[[float], None]


@pytest.fixture()
def move(monkeypatch: pytest.MonkeyPatch) -> Move:
    """Move the clock forward by some minutes (from where it is now)."""
    start = clock.now()
    moved = [0.0]

    def forward(minutes: float) -> None:
        moved[0] += minutes
        monkeypatch.setattr(clock, "now", lambda: start + dt.timedelta(minutes=moved[0]))

    forward(0)
    return forward


def test_the_warning_comes_before_the_idle_timeout_and_staying_keeps_the_session(
    client: FlaskClient, move: Move
) -> None:
    login(client, ANNA)
    page = client.get("/my-pages?lang=en").get_data(as_text=True)
    assert 'id="session-timeout"' in page and "You'll be signed out soon" in page
    assert " open>" not in page.split('id="session-timeout"')[1].split(">")[0] + ">"
    move(28.5)
    status = client.get("/session").json
    assert status["signed_in"] and status["warning"] and 0 < status["seconds"] <= 120
    warned = client.get("/session").json  # asking is not activity
    assert warned["seconds"] <= status["seconds"]
    stay = client.post(
        "/session", data={"csrf_token": csrf(page)}, headers={"Accept": "application/json"}
    )
    assert stay.status_code == 200 and stay.json["warning"] is False
    move(25)  # 53.5 minutes after sign-in, 25 after staying
    assert client.get("/my-pages").status_code == 200


def test_a_request_after_the_idle_timeout_is_signed_out_and_keeps_nothing(
    client: FlaskClient, move: Move
) -> None:
    login(client, ANNA)
    client.get("/?lang=en")
    move(31)
    response = client.get("/my-pages")
    assert response.status_code == 401
    assert "You have been signed out" in response.get_data(as_text=True)
    with client.session_transaction() as held:
        assert "person_id" not in held and held.get("lang") == "en"
    assert client.get("/my-pages").status_code == 302  # to sign in again
    assert client.get("/session").json == {"signed_in": False, "seconds": 0, "warning": False}


def test_files_the_browser_fetches_by_itself_do_not_keep_the_session(
    client: FlaskClient, move: Move
) -> None:
    login(client, ANNA)
    move(20)
    for path in ("/static/favicon.svg", "/assets/kontaktpunkt.css"):  # asked for after a page
        with client.get(path) as fetched:
            assert fetched.status_code == 200
    move(11)  # 31 minutes after the last page: the files did not count as activity
    assert client.get("/my-pages").status_code == 401


def test_officers_are_signed_out_after_15_idle_minutes(client: FlaskClient, move: Move) -> None:
    officer_login(client, "csn-1")
    move(14)
    assert client.get("/officer").status_code == 200
    move(16)
    response = client.get("/officer")
    assert response.status_code == 401 and "You have been signed out" in response.get_data(
        as_text=True
    )
    assert client.get("/officer").status_code == 302


def test_the_absolute_limit_ends_even_a_busy_session(client: FlaskClient, move: Move) -> None:
    login(client, ANNA)
    for _ in range(12 * 3 - 1):  # a request every 20 minutes for almost 12 hours
        move(20)
        assert client.get("/my-pages").status_code == 200
    move(20)
    assert client.get("/my-pages").status_code == 401


def test_signing_out_ends_the_session_for_every_copy_of_its_cookie(
    app: Flask, client: FlaskClient
) -> None:
    login(client, ANNA)
    page = client.get("/my-pages").get_data(as_text=True)
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = client.get_cookie(name)
    assert cookie is not None
    copied = cookie.value
    other = app.test_client()
    other.set_cookie(name, copied)
    assert other.get("/my-pages").status_code == 200  # the copy works while the session lives
    assert client.post("/logout", data={"csrf_token": csrf(page)}).status_code == 302
    client.set_cookie(name, copied)
    assert client.get("/my-pages").status_code == 302  # to sign in again
    assert other.get("/session").json == {"signed_in": False, "seconds": 0, "warning": False}

"""A page of a journey posted after the session timed out: the session still ends, and the
answers that pass their checks wait in the person's draft for the next sign-in."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from agencies import clock
from contactpoint.db.models import Draft, Person
from contactpoint.extensions import db
from tests.helpers.pages import csrf, forget_drafts, login, sign_in_through_provider

JOHAN = "19700101-6356"
Move = Callable[[float], None]


@pytest.fixture()
def move(monkeypatch: pytest.MonkeyPatch) -> Move:
    """Move the clock forward by some minutes (from where it is now)."""
    start = clock.now()

    def forward(minutes: float) -> None:
        monkeypatch.setattr(clock, "now", lambda: start + dt.timedelta(minutes=minutes))

    return forward


def _draft_answers(app: Flask) -> dict[str, object]:
    with app.app_context():
        person = sa.select(Person.id).where(Person.personal_number == JOHAN)
        draft = db.session.scalar(sa.select(Draft).where(Draft.person_id.in_(person)))
        answers = dict(draft.answers) if draft else {}
        db.session.rollback()
        return answers


def _begin(client: FlaskClient) -> str:
    login(client, JOHAN)
    client.get("/?lang=en")
    start = client.get("/life-events/moving").get_data(as_text=True)
    url = client.post("/life-events/moving/begin", data={"csrf_token": csrf(start)})
    return str(url.headers["Location"])


def test_answers_posted_after_the_idle_timeout_wait_in_the_draft(
    app: Flask, client: FlaskClient, move: Move
) -> None:
    forget_drafts(app, JOHAN)
    try:
        url = _begin(client)
        page = client.get(url).get_data(as_text=True)
        move(31)
        response = client.post(url, data={"csrf_token": csrf(page), "move_date": "2027-01-10"})
        html = response.get_data(as_text=True)
        assert response.status_code == 401 and "You have been signed out" in html
        assert "We saved your answers" in html
        with client.session_transaction() as held:
            assert "person_id" not in held
        assert client.get("/my-pages").status_code == 302  # to sign in again
        assert _draft_answers(app).get("move_date") == "2027-01-10"

        move(0)  # the provider's ID tokens are checked against the real time
        again = re.search(r'href="(/login\?next=[^"]+)"', html)
        assert again, html
        signed_in = sign_in_through_provider(client, again.group(1), {"personal_number": JOHAN})
        assert signed_in.status_code == 302, signed_in.get_data(as_text=True)
        back = signed_in.headers["Location"]
        assert "/life-events/moving/begin" in back
        assert client.get(back).headers["Location"].endswith("/questions/new_address")
    finally:
        forget_drafts(app, JOHAN)


def test_answers_that_fail_their_checks_are_not_kept(
    app: Flask, client: FlaskClient, move: Move
) -> None:
    forget_drafts(app, JOHAN)
    try:
        url = _begin(client)
        page = client.get(url).get_data(as_text=True)
        move(31)
        response = client.post(url, data={"csrf_token": csrf(page), "move_date": "31/12"})
        html = response.get_data(as_text=True)
        assert response.status_code == 401 and "You have been signed out" in html
        assert "We saved your answers" not in html
        assert "move_date" not in _draft_answers(app)
    finally:
        forget_drafts(app, JOHAN)


def test_a_signed_out_copy_of_the_cookie_saves_nothing_after_the_timeout(
    app: Flask, client: FlaskClient, move: Move
) -> None:
    forget_drafts(app, JOHAN)
    try:
        url = _begin(client)
        page = client.get(url).get_data(as_text=True)
        name = app.config["SESSION_COOKIE_NAME"]
        cookie = client.get_cookie(name)
        assert cookie is not None
        copy = app.test_client()
        copy.set_cookie(name, cookie.value)
        assert client.post("/logout", data={"csrf_token": csrf(page)}).status_code == 302
        move(31)
        response = copy.post(url, data={"csrf_token": csrf(page), "move_date": "2027-01-10"})
        html = response.get_data(as_text=True)
        assert "We saved your answers" not in html
        assert "move_date" not in _draft_answers(app)  # the signed-out copy wrote nothing
    finally:
        forget_drafts(app, JOHAN)

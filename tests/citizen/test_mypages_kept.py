"""My pages kept rendered: served again while nothing it shows has changed, never stale."""

from __future__ import annotations

import subprocess

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from contactpoint.db.models import Case, Step
from contactpoint.db.status_reads import Renderings
from contactpoint.extensions import db
from tests.conftest import wait_until
from tests.helpers.pages import csrf, forget_drafts, login

JOHAN = "19700101-6356"


def _own_case(client: FlaskClient, app: Flask) -> str:
    """A case of Johan's, written as a submission writes it; its id."""
    with app.app_context():
        token = client.post("/api/v1/dev/eid/token", json={"personal_number": JOHAN}).json
        assert token is not None
        event = client.get("/api/v1/life-events/moving").json
        assert event is not None
        answers = {**event["example_answers"], "moving_along": ["none"]}  # he lives alone
        body = {"life_event": "moving", "answers": answers, "consent": True}
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        created = client.post("/api/v1/cases", json=body, headers=headers)
        assert created.status_code == 201, created.json
        return str(created.json["id"])  # type: ignore[index]


def _settled(app: Flask, case_id: str) -> bool:
    """The worker has nothing left to do on the case: no step is pending or running."""
    with app.app_context():
        busy = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Step)
            .where(Step.case_id == case_id, Step.status.in_(("pending", "running")))
        )
        db.session.rollback()
    return busy == 0


def test_a_change_of_a_step_shows_at_once(
    client: FlaskClient, app: Flask, worker: subprocess.Popen[bytes]
) -> None:
    forget_drafts(app, JOHAN)
    login(client, JOHAN)
    before = client.get("/my-pages").get_data(as_text=True)
    case_id = _own_case(client, app)
    wait_until(lambda: _settled(app, case_id))  # the rows changed below are the test's alone
    listed = client.get("/my-pages").get_data(as_text=True)
    assert listed != before and f"/my-pages/cases/{case_id}" in listed
    assert client.get("/my-pages").get_data(as_text=True) == listed  # kept while unchanged
    with app.app_context():
        db.session.execute(  # a step only, as an agency's answer changes it
            sa.update(Step).where(Step.case_id == case_id).values(status="waiting", ball="citizen")
        )
        db.session.commit()
    waiting = client.get("/my-pages").get_data(as_text=True)
    assert waiting != listed
    with app.app_context():  # done: the case counts as nobody's work in other tests
        db.session.execute(
            sa.update(Step).where(Step.case_id == case_id).values(status="done", ball="none")
        )
        db.session.execute(sa.update(Case).where(Case.id == case_id).values(status="completed"))
        db.session.commit()
    assert 'data-status="completed"' in client.get("/my-pages").get_data(as_text=True)


def test_a_journey_begun_or_forgotten_shows_at_once(client: FlaskClient, app: Flask) -> None:
    forget_drafts(app, JOHAN)
    login(client, JOHAN)
    assert "/life-events/moving/begin" not in client.get("/my-pages").get_data(as_text=True)
    start = client.get("/life-events/moving").get_data(as_text=True)
    client.post("/life-events/moving/begin", data={"csrf_token": csrf(start)})
    assert "/life-events/moving/begin" in client.get("/my-pages").get_data(as_text=True)
    forget_drafts(app, JOHAN)
    assert "/life-events/moving/begin" not in client.get("/my-pages").get_data(as_text=True)


def test_each_session_and_language_gets_its_own_page(app: Flask) -> None:
    """Another sign-in of the same person has forms with its own token, which work."""
    first, second = app.test_client(), app.test_client()
    login(first, JOHAN)
    login(second, JOHAN)
    page_one = first.get("/my-pages").get_data(as_text=True)
    page_two = second.get("/my-pages").get_data(as_text=True)
    assert csrf(page_one) != csrf(page_two)
    assert second.post("/logout", data={"csrf_token": csrf(page_two)}).status_code == 302
    english = first.get("/my-pages?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english and "My pages" in english
    assert '<html lang="sv">' in first.get("/my-pages?lang=sv").get_data(as_text=True)


def test_a_person_no_longer_there_is_sent_to_sign_in(client: FlaskClient) -> None:
    login(client, JOHAN)
    assert client.get("/my-pages").status_code == 200
    with client.session_transaction() as session:  # as if the person's row were removed
        session["person_id"] = "no-such-person"
    response = client.get("/my-pages")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_renderings_render_again_for_a_new_version_and_keep_none_at_size_0() -> None:
    renders: list[str] = []

    def render(text: str) -> bytes:
        renders.append(text)
        return text.encode()

    kept = Renderings(2)
    assert kept.kept("a", "1", lambda: render("one")).body == b"one"
    assert kept.kept("a", "1", lambda: render("again")).body == b"one"
    assert kept.kept("a", "2", lambda: render("two")).body == b"two"
    none = Renderings(0)
    none.kept("a", "1", lambda: render("x"))
    none.kept("a", "1", lambda: render("y"))
    assert renders == ["one", "two", "x", "y"]

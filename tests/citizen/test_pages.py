"""The citizen's journey through the pages, with CSRF on, as a browser without JavaScript."""

from __future__ import annotations

import subprocess

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from contactpoint.extensions import db
from tests.conftest import wait_until
from tests.helpers.pages import csrf, forget_drafts, login, post_page

JOHAN = "19700101-6356"  # no children


def test_a_form_without_a_csrf_token_is_refused(client: FlaskClient) -> None:
    authorize = client.get("/login").headers["Location"]
    response = client.post(authorize, data={"personal_number": "19850312-2387"})
    assert response.status_code == 400
    assert "<html" in response.get_data(as_text=True)


def test_pages_are_swedish_by_default_and_remember_english(client: FlaskClient) -> None:
    assert '<html lang="sv">' in client.get("/").get_data(as_text=True)
    assert "Flytta" in client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in client.get("/?lang=en").get_data(as_text=True)
    assert "Moving house" in client.get("/life-events/moving").get_data(as_text=True)


def test_my_pages_need_a_login(client: FlaskClient) -> None:
    response = client.get("/my-pages")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_wrong_personal_number_keeps_what_was_typed(client: FlaskClient) -> None:
    authorize = client.get("/login").headers["Location"]
    page = client.get(authorize).get_data(as_text=True)
    response = client.post(authorize, data={"csrf_token": csrf(page), "personal_number": "1234"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="1234"' in html and 'href="#personal_number"' in html


def test_the_whole_moving_journey_in_the_pages(
    client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    login(client, "19700101-6356")  # no children: the population register says so, never asked
    start = client.get("/life-events/moving").get_data(as_text=True)
    response = client.post("/life-events/moving/begin", data={"csrf_token": csrf(start)})
    url = response.headers["Location"]
    assert url.endswith("/questions/move_date")

    status, location, html = post_page(client, url, {"move_date": "31/12"})
    assert status == 422 and 'value="31/12"' in html and "error-summary" in html
    status, location, _ = post_page(client, url, {"move_date": "2026-12-20"})
    assert status == 302 and location.endswith("/questions/new_address")

    answers = [
        {
            "new_street": "Sysslomansgatan 3",
            "new_postal_code": "753 11",
            "new_municipality": "0380",
        },
        {"studying": "yes"},
        {"pensioner": "no"},
        {"housing": "own"},
    ]
    for data in answers:
        status, location, html = post_page(client, location, data)
        assert status == 302, html
    assert location.endswith("/check")

    check = client.get(location).get_data(as_text=True)
    assert "Sysslomansgatan 3" in check
    assert "moving_along" not in location  # never asked: nobody lives with him
    assert "School" not in check  # no children move
    status, _, html = post_page(client, location, {})
    assert status == 422 and 'href="#consent"' in html
    status, case_url, _ = post_page(client, location, {"consent": "yes"})
    assert status == 302 and "/my-pages/cases/" in case_url

    def all_done() -> str | None:
        html = client.get(case_url).get_data(as_text=True)
        return html if '<p class="case-status" data-status="done"' in html else None

    html = wait_until(all_done, timeout_s=60)
    assert "SKV-" in html and "CSN-" in html
    assert "Kommunen" not in html  # no school or preschool step for this case
    assert "/my-pages/cases/" in case_url
    listing = client.get("/my-pages").get_data(as_text=True)
    assert case_url.split("?")[0].split("/")[-1] in listing


def test_a_journey_can_be_resumed_from_my_pages(app: Flask, client: FlaskClient) -> None:
    login(client, JOHAN)
    start = client.get("/life-events/moving").get_data(as_text=True)
    url = client.post("/life-events/moving/begin", data={"csrf_token": csrf(start)}).headers[
        "Location"
    ]
    try:
        post_page(client, url, {"move_date": "2027-01-10"})
        listing = client.get("/my-pages").get_data(as_text=True)
        assert "/life-events/moving/begin" in listing
        resumed = client.post("/life-events/moving/begin", data={"csrf_token": csrf(listing)})
        assert resumed.headers["Location"].endswith("/questions/new_address")
    finally:
        forget_drafts(app, JOHAN)  # Johan's next journey starts on its first page


def test_another_persons_case_page_is_404(client: FlaskClient, anna: dict[str, str]) -> None:
    from tests.conftest import example

    body = {"life_event": "moving", "answers": example(client), "consent": True}
    case_id = client.post("/api/v1/cases", json=body, headers=anna).json["id"]
    login(client, "19440225-3274")
    assert client.get(f"/my-pages/cases/{case_id}").status_code == 404


def test_my_pages_reads_in_statements_that_commit_by_themselves(client: FlaskClient) -> None:
    """No transaction around My pages' reads: on PostgreSQL no BEGIN and ROLLBACK round
    trips, and statements that stay prepared where a transaction's are planned anew."""
    login(client, "19700101-6356")
    start = client.get("/life-events/moving").get_data(as_text=True)
    client.post("/life-events/moving/begin", data={"csrf_token": csrf(start)})  # a draft
    with client.application.app_context():
        session_engine = db.engine
    on_session: list[bool] = []

    def engine_of(connection: sa.Connection, *_args: object) -> None:
        on_session.append(connection.engine is session_engine)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", engine_of)
    try:
        listing = client.get("/my-pages")
        first = len(on_session)
        again = client.get("/my-pages")
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", engine_of)
    assert listing.status_code == again.status_code == 200
    assert "/life-events/moving/begin" in listing.get_data(as_text=True)
    # The person with the version of what the page shows; the person's row to render with;
    # the cases, their steps and the journeys not sent. Read again unchanged: the first only.
    assert first == 3
    assert len(on_session) == first + 1
    assert again.get_data() == listing.get_data()
    if session_engine.dialect.name == "postgresql":
        assert not any(on_session)


def test_a_nul_character_in_a_form_is_a_400_page_and_saves_nothing(
    app: Flask, client: FlaskClient
) -> None:
    """PostgreSQL cannot hold U+0000 in text: a page refuses it before anything reads it."""
    forget_drafts(app, JOHAN)
    login(client, JOHAN)
    start = client.get("/life-events/moving").get_data(as_text=True)
    url = client.post("/life-events/moving/begin", data={"csrf_token": csrf(start)}).headers[
        "Location"
    ]
    page = client.get(url).get_data(as_text=True)
    refused = client.post(url, data={"csrf_token": csrf(page), "move_date": "2026-12-20\x00"})
    assert refused.status_code == 400
    assert "<html" in refused.get_data(as_text=True)
    assert "Traceback" not in refused.get_data(as_text=True)
    forget_drafts(app, JOHAN)

"""A request is bounded: a body past MAX_CONTENT_LENGTH and a multipart form past its parts or
its field size are refused with 413 before they are read and parsed, as JSON with a `message`
under /api and as the error page elsewhere; the API's schemas bound the answers within (422
naming the answer). One test per kind of endpoint: the open API, the citizen's API, a page's
form, an agency system's decision. (JSON nested too deeply: tests/api/test_api_errors.py.)"""

from __future__ import annotations

import io
import json
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from contactpoint.db.models import Case, Draft, Person, Step
from contactpoint.extensions import db
from tests.conftest import ANNA, example, token_for
from tests.helpers.headers import assert_security_headers
from tests.helpers.officer import agency_headers
from tests.helpers.pages import csrf, forget_drafts, login

EVALUATE = "/api/v1/life-events/moving/evaluate"
MB = 1024 * 1024


def _too_large_json(response: TestResponse) -> str:
    """The API's 413: JSON with a message that says what the limit is; the headers too."""
    assert response.status_code == 413, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    assert_security_headers(response)
    message: str = response.json["message"]
    return message


def test_the_open_api_refuses_a_body_past_the_limit_before_reading_it(
    client: FlaskClient,
) -> None:
    huge = json.dumps({"answers": {"contact_phone": "1" * (20 * MB)}})
    message = _too_large_json(client.post(EVALUATE, data=huge, content_type="application/json"))
    assert "at most 256 KB" in message
    # Sent in chunks, with no length said beforehand: refused once it reads past the limit.
    chunked = client.post(
        EVALUATE,
        input_stream=io.BytesIO(huge.encode()),
        content_type="application/json",
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert "at most 256 KB" in _too_large_json(chunked)
    small = client.post(EVALUATE, json={"answers": example(client)})
    assert small.status_code == 200 and small.json["complete"]


KINDS = (
    "An answer is a text, a number, true or false, a list of choices (or of people) or an address."
)


def test_the_api_bounds_the_answers_it_reads(client: FlaskClient) -> None:
    too_many = {f"question_{n}": "x" for n in range(101)}
    response = client.post(EVALUATE, json={"answers": too_many})
    assert response.status_code == 422
    assert response.json["errors"]["json"]["answers"] == ["At most 100 answers."]
    shapes: dict[str, Any] = {
        "contact_phone": "1" * 2001,
        "new_street": {"street": {"deeper": "x"}},
        "moving_along": ["x"] * 51,
        "studying": [{"personal_number": {"deeper": "x"}}],
    }
    refused = client.post(EVALUATE, json={"answers": {**example(client), **shapes}})
    assert refused.status_code == 422
    assert refused.json["errors"]["json"]["answers"] == {
        "contact_phone": ["Longer than 2000 characters."],
        "new_street": [KINDS],
        "moving_along": ["At most 50 choices."],
        "studying": [KINDS],
    }


def _cases_of(app: Flask, personal_number: str) -> int:
    with app.app_context():
        person = sa.select(Person.id).where(Person.personal_number == personal_number)
        return db.session.scalar(sa.select(sa.func.count()).where(Case.person_id.in_(person)))


def test_the_citizens_api_refuses_a_case_past_the_limit_and_stores_nothing(
    app: Flask, client: FlaskClient
) -> None:
    headers = token_for(client, ANNA)
    before = _cases_of(app, ANNA)
    answers = {**example(client), "contact_phone": "1" * (300 * 1024)}
    case = {"life_event": "moving", "answers": answers, "consent": True}
    response = client.post("/api/v1/cases", json=case, headers=headers)
    assert "at most 256 KB" in _too_large_json(response)
    assert _cases_of(app, ANNA) == before


def _draft_of(app: Flask, personal_number: str) -> Any:
    with app.app_context():
        person = sa.select(Person.id).where(Person.personal_number == personal_number)
        return db.session.scalars(sa.select(Draft.answers).where(Draft.person_id.in_(person))).all()


def test_a_page_form_past_the_limit_gets_the_error_page_and_saves_nothing(
    app: Flask, client: FlaskClient
) -> None:
    forget_drafts(app, ANNA)
    login(client, ANNA)
    page = "/life-events/moving/questions/move_date?lang=en"
    token = csrf(client.get(page).get_data(as_text=True))
    before = _draft_of(app, ANNA)
    sent = [
        {"csrf_token": token, "move_date": "1" * (300 * 1024)},  # past MAX_CONTENT_LENGTH
        # multipart: a field past MAX_FORM_MEMORY_SIZE, then more parts than MAX_FORM_PARTS
        {"csrf_token": token, "move_date": (io.BytesIO(b"x"), "f.txt"), "x": "1" * 70_000},
        {"move_date": (io.BytesIO(b"x"), "f.txt"), **{f"p{n}": "1" for n in range(201)}},
    ]
    for data in sent:
        response = client.post(page, data=data)
        assert response.status_code == 413 and response.mimetype == "text/html"
        html = response.get_data(as_text=True)
        assert "What you sent is too long" in html and "shorten what you wrote" in html
        assert_security_headers(response)
    assert _draft_of(app, ANNA) == before
    assert client.get(page).status_code == 200  # still signed in, the page as it was


def test_an_agency_decision_past_the_limit_is_refused_and_changes_nothing(
    app: Flask, client: FlaskClient
) -> None:
    bearer = token_for(client, ANNA)
    case = {"life_event": "moving", "answers": example(client), "consent": True}
    created = client.post("/api/v1/cases", json=case, headers=bearer)
    step = next(step for step in created.json["steps"] if step["agency"] == "skatteverket")
    headers = agency_headers(client, "skatteverket")
    reason = "Not so. " * (40 * 1024)
    decision = {"decision": "reject", "reason": reason}
    response = client.post(
        f"/api/v1/agencies/skatteverket/steps/{step['id']}/decision", json=decision, headers=headers
    )
    assert "at most 256 KB" in _too_large_json(response)
    with app.app_context():
        found = db.session.get(Step, step["id"])
        assert found is not None and found.outcome != "rejected"
        assert not (found.status_reason or "").startswith("Not so.")

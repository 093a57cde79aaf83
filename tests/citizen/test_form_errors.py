"""Every form shows its errors one way: GOV.UK's error summary linking to each field, a title
that starts with "Fel: " / "Error: ", at the page's own address."""

from __future__ import annotations

import re
import subprocess

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import ANNA
from tests.helpers.officer import agency_headers, officer_login, submit, wait_for_step
from tests.helpers.pages import csrf, forget_drafts, login, post_page

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

ERIK = "19870715-4574"


def shows_errors(html: str, *fields: str, language: str = "sv") -> None:
    """The page has the error summary, linking to each field, and a title that says so."""
    word = {"sv": "Fel", "en": "Error"}[language]
    assert re.search(rf"<title>{word}: ", html), html[:400]
    summary = html.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    for field in fields:
        assert f'href="#{field}"' in summary
        assert f'id="{field}"' in html, field


def test_a_question_left_blank(app: Flask, client: FlaskClient) -> None:
    forget_drafts(app, ANNA)
    login(client, ANNA)
    start = client.get("/life-events/moving").get_data(as_text=True)
    url = client.post("/life-events/moving/begin", data={"csrf_token": csrf(start)}).headers[
        "Location"
    ]
    status, _, html = post_page(client, url, {})
    assert status == 422
    shows_errors(html, "move_date")
    forget_drafts(app, ANNA)


def test_a_decision_without_a_choice_and_feedback_without_an_answer(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    from tests.conftest import token_for

    anna = token_for(client, ANNA)
    case = submit(client, anna)
    step = wait_for_step(client, anna, case["id"], "housing-allowance", "waiting", "agency")
    officer_login(client, "forsakringskassan-1")
    page = client.get(f"/officer/steps/{step['id']}").get_data(as_text=True)
    response = client.post(f"/officer/steps/{step['id']}/decision", data={"csrf_token": csrf(page)})
    assert response.status_code == 422
    shows_errors(response.get_data(as_text=True), "decision-approve", language="en")

    citizen = app.test_client()
    login(citizen, ANNA)
    status, _, html = post_page(citizen, f"/my-pages/cases/{case['id']}/feedback", {})
    assert status == 422
    shows_errors(html, "ease")


def test_an_agencys_question_answered_blank_shows_the_error_on_the_case_page(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    from tests.conftest import token_for

    erik = token_for(client, ERIK)
    case = submit(client, erik)
    step = wait_for_step(client, erik, case["id"], "housing-allowance", "waiting", "agency")
    response = client.post(
        f"/api/v1/agencies/forsakringskassan/steps/{step['id']}/decision",
        json={"decision": "complement", "question": "What is the rent?"},
        headers=agency_headers(client, "forsakringskassan"),
    )
    assert response.status_code == 200, response.json
    wait_for_step(client, erik, case["id"], "housing-allowance", "waiting", "citizen")

    citizen = app.test_client()
    login(citizen, ERIK)
    case_url = f"/my-pages/cases/{case['id']}"
    page = citizen.get(case_url).get_data(as_text=True)
    assert f'action="{case_url}"' in page  # the form posts to the page itself
    status, _, html = post_page(citizen, case_url, {"step_id": step["id"], "answer": " "})
    assert status == 422
    shows_errors(html, f"answer-{step['id']}")
    status, location, _ = post_page(citizen, case_url, {"step_id": step["id"], "answer": "8 400"})
    assert status == 302 and location.endswith("answered=1")

"""Headings and hints on the pages of questions: a page of several questions is headed by
its own title, every date field says how to write a date, an input is as wide as its answer."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from contactpoint.citizen.pages.fields import input_width
from tests.conftest import ANNA
from tests.helpers.pages import csrf, forget_drafts, login, post_page
from workflows import catalogue

SQLITE = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@SQLITE
def test_a_page_of_several_questions_is_headed_by_its_title(
    app: Flask, client: FlaskClient
) -> None:
    forget_drafts(app, ANNA)
    login(client, ANNA)
    start = client.get("/life-events/moving?lang=sv").get_data(as_text=True)
    url = client.post("/life-events/moving/begin", data={"csrf_token": csrf(start)})
    status, location, _ = post_page(client, url.headers["Location"], {"move_date": "2027-01-10"})
    assert status == 302 and location.endswith("/questions/new_address")
    html = client.get(location).get_data(as_text=True)
    assert '<h1 class="govuk-heading-l">Din nya adress</h1>' in html
    assert re.search(r"<title>Din nya adress – ", html)
    assert "<h1" not in html.split("Din nya adress</h1>")[1]  # one heading
    postcode = re.search(r'<input class="([^"]*)"\s+id="new_postal_code"', html)
    assert postcode and "govuk-input--width-5" in postcode.group(1)
    client.get("/?lang=en")
    html = client.get(location).get_data(as_text=True)
    assert '<h1 class="govuk-heading-l">Your new address</h1>' in html
    forget_drafts(app, ANNA)


@SQLITE
def test_every_date_field_says_how_to_write_a_date(app: Flask, client: FlaskClient) -> None:
    forget_drafts(app, ANNA)
    login(client, ANNA)
    start = client.get("/life-events/moving?lang=sv").get_data(as_text=True)
    url = client.post("/life-events/moving/begin", data={"csrf_token": csrf(start)})
    html = client.get(url.headers["Location"]).get_data(as_text=True)
    hint = re.search(r'<div class="govuk-hint" id="move_date-hint">([^<]+)</div>', html)
    assert hint and "år, månad och dag, till exempel 2027-03-14" in hint.group(1)
    assert 'aria-describedby="move_date-hint"' in html
    forget_drafts(app, ANNA)


def test_inputs_are_as_wide_as_their_answers() -> None:
    events = catalogue()
    moving, baby = events["moving"], events["new-baby"]
    assert input_width(moving.question("new_postal_code")) == "govuk-input--width-5"
    assert input_width(moving.question("contact_phone")) == "govuk-input--width-20"
    assert input_width(moving.question("new_street")) == ""  # a street name may be long
    assert input_width(moving.question("move_date")) == "govuk-input--width-10"
    assert input_width(baby.question("benefit_days_per_week")) == "govuk-input--width-2"
    assert input_width(baby.question("other_parent")) == "govuk-input--width-20"


def test_no_question_leans_on_its_page_for_its_meaning() -> None:
    """A question is read alone too (check your answers, what an agency receives)."""
    short = [
        (event.id, question.id, question.text["sv"])
        for event in catalogue().values()
        for question in event.questions
        if not question.group and len(question.text["sv"].split()) < 3
    ]
    assert not short, short
    benefit_start = catalogue()["new-baby"].question("benefit_start")
    assert "föräldrapenning" in benefit_start.text["sv"]

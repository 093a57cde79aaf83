"""Choosing people the population register lists, in the pages without JavaScript, in both
languages: who moves along, and which child a new baby's journey is about. Never a personal
identity number in the HTML."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from contactpoint.db.models import Draft, Person
from contactpoint.extensions import db
from tests.conftest import example, token_for
from tests.helpers.pages import csrf, forget_drafts, login, post_page

ANNA, ERIK, MAJA, OLLE = "19850312-2387", "19870715-4574", "20150411-3893", "20191102-7496"
SARA, LEO, EMMA, NORA = "19920604-2823", "20261110-4510", "19950822-2008", "20261118-1005"
JOHAN, KARIN = "19700101-6356", "19440225-3274"  # nobody lives with him; no child of hers


@pytest.fixture(autouse=True)
def no_drafts(app: Flask) -> Iterator[None]:
    forget_drafts(app, ANNA, SARA, EMMA, JOHAN, KARIN)
    yield
    forget_drafts(app, ANNA, SARA, EMMA, JOHAN, KARIN)


def begin(client: FlaskClient, person: str, event: str, language: str) -> None:
    login(client, person)
    start = client.get(f"/life-events/{event}?lang={language}").get_data(as_text=True)
    client.post(f"/life-events/{event}/begin", data={"csrf_token": csrf(start)})


def question_page(
    client: FlaskClient, person: str, event: str, question: str, language: str
) -> tuple[str, str]:
    """A journey begun afresh by `person`, and one question's page: its URL and HTML."""
    begin(client, person, event, language)
    url = f"/life-events/{event}/questions/{question}?lang={language}"
    return url, client.get(url).get_data(as_text=True)


def numbers_in(html: str, *numbers: str) -> list[str]:
    return [n for n in numbers if n[:8] in html or n.replace("-", "") in html]


@pytest.mark.parametrize(
    ("language", "question", "erik", "maja", "alone", "fix"),
    [
        (
            "sv",
            "Vem flyttar med dig?",
            "Erik, född 1987 (make, maka eller partner)",
            "Maja, född 2015 (barn)",
            "Ingen, bara jag",
            "Välj antingen",
        ),
        (
            "en",
            "Who moves with you?",
            "Erik, born 1987 (spouse or partner)",
            "Maja, born 2015 (child)",
            "No one, only me",
            "Choose either",
        ),
    ],
)
def test_anna_chooses_who_moves_with_her(
    client: FlaskClient, language: str, question: str, erik: str, maja: str, alone: str, fix: str
) -> None:
    url, html = question_page(client, ANNA, "moving", "moving_along", language)
    assert question in html and erik in html and maja in html and alone in html
    assert 'type="checkbox"' in html and 'data-behaviour="exclusive"' in html
    assert numbers_in(html, ANNA, ERIK, MAJA, OLLE) == []
    values = re.findall(r'name="moving_along" value="([^"]+)"', html)
    assert values == ["spouse-1987-1", "child-2015-1", "child-2019-1", "none"]

    status, _, refused = post_page(client, url, {"moving_along": ["none", "child-2015-1"]})
    assert status == 422 and fix in refused and 'href="#moving_along"' in refused
    status, _, refused = post_page(client, url, {"moving_along": "child-2030-1"})
    assert status == 422 and numbers_in(refused, MAJA) == []
    status, _, _ = post_page(client, url, {"moving_along": "child-2015-1"})
    assert status == 302
    again = client.get(url).get_data(as_text=True)  # the choice is kept, by its key
    assert re.search(r'value="child-2015-1" checked', again)
    check = client.get(f"/life-events/moving/check?lang={language}")
    if check.status_code == 200:  # the journey may still lack answers: then it leads on
        assert maja in check.get_data(as_text=True)
        assert numbers_in(check.get_data(as_text=True), MAJA, OLLE, ERIK) == []


def test_a_household_of_one_is_not_asked(client: FlaskClient) -> None:
    begin(client, JOHAN, "moving", "en")
    html = client.get("/life-events/moving/questions/moving_along?lang=en").get_data(as_text=True)
    # The register lists nobody with him: shown as its answer, with its source, not asked.
    assert 'name="moving_along"' not in html and "No one, only me" in html
    assert "From the population register" in html


@pytest.mark.parametrize(
    ("person", "child", "number", "language", "shown"),
    [
        (SARA, LEO, "child-2026-1", "sv", "Leo, född 2026 (barn)"),
        (EMMA, NORA, "child-2026-1", "en", "Nora, born 2026 (child)"),
    ],
)
def test_the_parent_chooses_the_child_among_those_in_their_care(
    app: Flask, client: FlaskClient, person: str, child: str, number: str, language: str, shown: str
) -> None:
    url, html = question_page(client, person, "new-baby", "child", language)
    assert shown in html and 'type="radio"' in html and numbers_in(html, child) == []
    status, location, _ = post_page(client, url, {"child": number})
    assert status == 302 and "/questions/child" not in location
    with app.app_context():
        who = db.session.query(Person).filter_by(personal_number=person).one()
        draft = db.session.query(Draft).filter_by(person_id=who.id, life_event="new-baby").one()
        assert draft.answers["child"] == child  # the number is kept, on the server


def test_a_parent_the_register_lists_no_child_for_is_told_so(client: FlaskClient) -> None:
    url, html = question_page(client, KARIN, "new-baby", "child", "sv")
    assert "Det finns inget barn som du har vårdnad om hos folkbokföringen" in html
    assert 'name="child"' not in html
    status, _, refused = post_page(client, url, {})
    assert status == 422 and 'href="#child"' in refused
    assert 'id="child"' in refused  # the error's link leads to what the register says


def test_a_child_registered_since_is_offered_by_the_date_of_birth(
    app: Flask, client: FlaskClient
) -> None:
    born = app.extensions["population_register"].record_birth([EMMA])  # no first names yet
    _, html = question_page(client, EMMA, "new-baby", "child", "en")
    day = born.occurred_on
    assert f"Your child, born {day.day} {day:%B} {day.year}" in html
    assert "Nora, born 2026 (child)" in html and numbers_in(html, born.subject) == []


def test_the_case_page_names_who_moved_along_by_first_name_and_year(
    client: FlaskClient, anna: dict[str, str]
) -> None:
    answers = {**example(client), "moving_along": [ERIK, MAJA], "housing_allowance": False}
    body = {"life_event": "moving", "answers": answers, "consent": True}
    created = client.post("/api/v1/cases", json=body, headers=anna)
    assert created.status_code == 201, created.json
    login(client, ANNA)
    for language, named in (
        ("sv", "Vem flyttar med dig? Erik, född 1987 (make, maka eller partner), Maja, född 2015"),
        ("en", "Who moves with you? Erik, born 1987 (spouse or partner), Maja, born 2015"),
    ):
        url = f"/my-pages/cases/{created.json['id']}?lang={language}"
        html = client.get(url).get_data(as_text=True)
        assert named in html and numbers_in(html, ERIK, MAJA, OLLE) == []


def test_a_page_without_a_people_question_reads_no_household(client: FlaskClient) -> None:
    begin(client, ANNA, "moving", "en")
    headers = token_for(client, ANNA)

    def reads() -> int:
        log = client.get("/api/v1/me/data-shares", headers=headers).json
        return sum(1 for entry in log if entry["kind"] == "register_read")

    before = reads()
    status, location, _ = post_page(
        client, "/life-events/moving/questions/move_date?lang=en", {"move_date": "2026-12-20"}
    )
    assert status == 302 and "move_date" not in location
    assert reads() == before  # who lives with her is read for the page that asks it only


def test_the_page_asking_who_moves_along_reads_the_household_once(client: FlaskClient) -> None:
    url, _html = question_page(client, ANNA, "moving", "moving_along", "en")
    headers = token_for(client, ANNA)

    def reads() -> int:
        log = client.get("/api/v1/me/data-shares", headers=headers).json
        return sum(entry["times"] for entry in log if entry["kind"] == "register_read")

    before = reads()
    status, _, _ = post_page(client, url, {"moving_along": "child-2015-1"})
    assert status == 302
    assert reads() == before + 1  # listed as the page was asked, resolved against that list

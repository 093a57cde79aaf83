"""Where the citizen is in a journey: the stage of the life event, never a count of questions
that grows and jumps as answers open and close questions."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import example
from tests.helpers.pages import csrf, forget_drafts, login, page_choice

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

STAGE = re.compile(r'class="govuk-caption-l kp-stage"[^>]*>(.*?)</p>', re.S)


def stage_of(html: str) -> str:
    found = STAGE.search(html)
    assert found, "the page says where in the life event the citizen is"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def form_data(answers: dict[str, Any], html: str) -> dict[str, Any]:
    data: dict[str, Any] = {"csrf_token": csrf(html)}
    for name in set(re.findall(r'name="([\w.]+)"', html)) - {"csrf_token"}:
        question, _, part = name.partition(".")
        value = answers.get(question)
        if part and isinstance(value, dict):
            value = value.get(part)
        if value is True or value is False:
            value = "yes" if value else "no"
        if value is not None:
            data[name] = page_choice(value, html)
    return data


@pytest.mark.parametrize("event_id", ["moving", "new-baby", "start-business", "bereavement"])
def test_every_page_of_questions_says_the_same_stage_and_no_count(
    app: Flask, client: FlaskClient, event_id: str
) -> None:
    person = client.get(f"/api/v1/life-events/{event_id}").json["example_person"]
    forget_drafts(app, person)
    login(client, person)
    answers = example(client, event_id)
    start = client.get(f"/life-events/{event_id}?lang=sv").get_data(as_text=True)
    url = client.post(f"/life-events/{event_id}/begin", data={"csrf_token": csrf(start)})
    location = url.headers["Location"]
    stages = []
    for _ in range(30):
        html = client.get(location).get_data(as_text=True)
        if location.endswith("/check"):
            assert stage_of(html).endswith("Steg 2 av 4: Kontrollera och skicka")
            break
        stages.append(stage_of(html))
        assert not re.search(r"Fråga \d+ av \d+", html)
        response = client.post(location, data=form_data(answers, html))
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        location = response.headers["Location"]
    else:
        raise AssertionError("the journey never reached the check page")
    assert len(stages) > 1 and set(stages) == {stages[0]}
    assert stages[0].endswith("Steg 1 av 4: Svara på frågorna")
    forget_drafts(app, person)

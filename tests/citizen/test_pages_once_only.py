"""Once only in the pages: facts shown not asked, corrections, outages, reuse, the sharing log."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import example, token_for, wait_until
from tests.helpers.once_only import ANNA, KARIN, case_of, settled
from tests.helpers.pages import csrf, forget_drafts, login, post_page

ANSWERS = {
    "move_date": "2026-12-20",
    "new_street": "Sysslomansgatan 3",
    "new_postal_code": "753 11",
    "new_municipality": "0380",
    "current_municipality": "0180",
    "move_registered": "no",  # asked only while the register does not answer
    "moving_along": "child-2015-1",  # Maja, born 2015, by her key on the page
    "contact_phone": "070-765 43 21",
    "studying": "no",
    "pensioner": "no",
    "housing": "own",
    "housing_allowance": "no",
    "housing_supplement": "no",
}


@pytest.fixture(autouse=True)
def no_drafts(app: Flask) -> Iterator[None]:
    """Each journey here starts afresh."""
    forget_drafts(app, ANNA, KARIN)
    yield


def begin(client: FlaskClient, person: str) -> str:
    login(client, person)
    start = client.get("/life-events/moving?lang=en").get_data(as_text=True)
    response = client.post("/life-events/moving/begin", data={"csrf_token": csrf(start)})
    assert response.status_code == 302
    return response.headers["Location"]


def walk(client: FlaskClient, location: str, answers: dict[str, str]) -> tuple[list[str], str]:
    """Answer every page asked, from `answers`; the pages visited and the check page's URL."""
    visited = []
    while not location.endswith("/check"):
        visited.append(location.rsplit("/", 1)[-1].split("?")[0])
        html = client.get(location).get_data(as_text=True)
        names = set(re.findall(r'<(?:input|select)[^>]+name="([a-z_.]+)"', html)) - {"csrf_token"}
        status, location, body = post_page(client, location, {n: answers[n] for n in names})
        assert status == 302, body
    return visited, location


def consent(client: FlaskClient, check_url: str) -> str:
    html = client.get(check_url).get_data(as_text=True)
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', html)
    assert digest
    data = {"csrf_token": csrf(html), "consent": "yes", "digest": digest.group(1)}
    response = client.post(check_url, data=data)
    assert response.status_code == 302 and "/my-pages/cases/" in response.headers["Location"]
    return response.headers["Location"].split("/")[-1].split("?")[0]


def test_anna_is_asked_neither_her_address_nor_her_children(
    client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    visited, check_url = walk(client, begin(client, ANNA), ANSWERS)
    assert "moving_along" in visited and "current_municipality" not in visited
    html = client.get(check_url).get_data(as_text=True)
    assert "From the population register" in html
    assert 'data-field="current_municipality"' in html  # the school is told where she moves from
    case_id = consent(client, check_url)
    headers = token_for(client, ANNA)
    case = wait_until(lambda: settled(client, headers, case_id), timeout_s=60)
    sources = {a["question"]: a["source"]["kind"] for a in case["answers"]}
    assert sources["current_municipality"] == "register" and sources["move_date"] == "citizen"


def test_karin_is_never_asked_about_children(client: FlaskClient) -> None:
    visited, check_url = walk(client, begin(client, KARIN), ANSWERS)
    html = client.get(check_url).get_data(as_text=True)
    assert "moving_along" not in visited  # the register lists nobody at her address
    assert "No one, only me" in html


def test_a_wrong_fact_is_replaced_by_the_citizens_own_and_a_correction_is_requested(
    client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    _, check_url = walk(client, begin(client, ANNA), ANSWERS)
    fact_url = check_url.replace("/check", "/questions/current_municipality")
    page = client.get(fact_url).get_data(as_text=True)
    assert "From the population register" in page and 'name="current_municipality"' not in page
    wrong = re.search(r'action="([^"]+/facts/current_municipality/wrong)"', page)
    assert wrong
    response = client.post(wrong.group(1), data={"csrf_token": csrf(page)})
    assert response.headers["Location"].endswith("/questions/current_municipality")
    asked = client.get(fact_url).get_data(as_text=True)
    assert 'name="current_municipality"' in asked and "has this wrong" in asked
    _, check_url = walk(client, fact_url, {**ANSWERS, "current_municipality": "0114"})
    html = client.get(check_url).get_data(as_text=True)
    assert "you said the population register is wrong" in html
    assert "Request to correct the population register" in html
    case = case_of(client, token_for(client, ANNA), consent(client, check_url))
    keys = {step["key"] for step in case["steps"]}
    assert "correction-population" in keys


def test_a_register_outage_during_the_journey_still_ends_in_a_case(
    client: FlaskClient, worker: subprocess.Popen[bytes], population_down: None
) -> None:
    location = begin(client, ANNA)
    # Nobody can be chosen while the register does not answer: she moves alone.
    visited, check_url = walk(client, location, {**ANSWERS, "moving_along": "none"})
    assert "current_municipality" in set(visited)
    html = client.get(check_url).get_data(as_text=True)
    assert "the population register did not answer" in html
    case_id = consent(client, check_url)
    headers = token_for(client, ANNA)

    def done() -> dict[str, Any] | None:
        case = case_of(client, headers, case_id)
        return case if case["status"] in ("done", "done_with_problems") else None

    case = wait_until(done, timeout_s=60)
    assert case["status"] == "done"
    kinds = {a["question"]: a["source"] for a in case["answers"]}
    assert kinds["current_municipality"]["kind"] == "self_reported"
    assert kinds["current_municipality"]["reason"] == "register_unavailable"


def test_an_earlier_answer_is_offered_and_used_only_when_chosen(client: FlaskClient) -> None:
    headers = token_for(client, ANNA)
    earlier = client.post(
        "/api/v1/cases",
        json={"life_event": "moving", "answers": example(client), "consent": True},
        headers=headers,
    )
    assert earlier.status_code == 201
    location = begin(client, ANNA)
    post_page(client, location, {"move_date": "2027-01-10"})
    _, location, _ = post_page(
        client,
        location.replace("move_date", "new_address"),
        {k: ANSWERS[k] for k in ("new_street", "new_postal_code", "new_municipality")},
    )
    assert location.endswith("/questions/moving_along")  # her household, in the register
    _, location, _ = post_page(client, location, {"moving_along": "child-2015-1"})
    assert location.endswith("/questions/contact_phone")
    page = client.get(location).get_data(as_text=True)
    assert "070-123 45 67" in page and "Use it again" in page
    offer = page.index('data-offer="contact_phone"')
    assert page.index("<h1") < offer and "govuk-inset-text" in page[offer - 40 : offer]
    assert re.search(r'id="contact_phone"[^>]*value=""', page.replace("\n", " "))  # not filled in
    reuse = re.search(r'action="([^"]+/reuse/contact_phone)"', page)
    assert reuse
    after = client.post(reuse.group(1), data={"csrf_token": csrf(page)}).headers["Location"]
    _, check_url = walk(client, after, ANSWERS)
    html = client.get(check_url).get_data(as_text=True)
    assert f"Given by you in an earlier case ({earlier.json['reference']})" in html


def test_who_has_my_data_and_the_download(
    client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    headers = token_for(client, ANNA)
    body = {"life_event": "moving", "answers": example(client), "consent": True}
    case_id = client.post("/api/v1/cases", json=body, headers=headers).json["id"]
    wait_until(lambda: settled(client, headers, case_id), timeout_s=60)
    login(client, ANNA)
    html = client.get("/my-pages/data-shares?lang=en").get_data(as_text=True)
    assert "We read from the population register" in html and "received" in html
    assert "The people who live with you" in html  # read to check who moves along
    swedish = client.get("/my-pages/data-shares?lang=sv").get_data(as_text=True)
    assert "De som bor med dig" in swedish and "Kommun" in swedish
    for english in ("Preschool age children at home", "Children at home", "Municipality"):
        assert english not in swedish
    filtered = client.get("/my-pages/data-shares?agency=kommun_0380").get_data(as_text=True)
    agencies = set(re.findall(r'data-agency="([a-z_0-9]+)"', filtered))
    assert agencies == {"kommun_0380"}
    assert "/my-pages/export" in client.get("/my-pages").get_data(as_text=True)
    download = client.get("/my-pages/export")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    assert download.json["profile"]["personal_number"] == ANNA

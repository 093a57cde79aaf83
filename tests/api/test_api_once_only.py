"""Once only through the API: prefill, never asked twice, corrections, outages, the log."""

from __future__ import annotations

import subprocess

from flask.testing import FlaskClient

from tests.conftest import example, token_for, wait_until
from tests.helpers.once_only import ANNA, KARIN, settled


def without(answers: dict[str, object], *keys: str) -> dict[str, object]:
    return {key: value for key, value in answers.items() if key not in keys}


def submit(
    client: FlaskClient, headers: dict[str, str], answers: dict[str, object], **extra: object
):  # type: ignore[no-untyped-def]
    body = {"life_event": "moving", "answers": answers, "consent": True, **extra}
    return client.post("/api/v1/cases", json=body, headers=headers)


def test_prefill_needs_a_login(client: FlaskClient) -> None:
    assert client.get("/api/v1/life-events/moving/prefill").status_code == 401
    assert client.get("/api/v1/me/data-shares").status_code == 401
    assert client.get("/api/v1/me/export").status_code == 401


def test_prefill_shows_what_the_population_register_knows_about_anna(client: FlaskClient) -> None:
    headers = token_for(client, ANNA)
    body = client.get("/api/v1/life-events/moving/prefill?lang=en", headers=headers).json
    facts = {fact["question"]: fact for fact in body["facts"]}
    assert facts["current_municipality"]["value"] == "0180"
    [household] = [p["people"] for p in body["people"] if p["question"] == "moving_along"]
    assert [p["first_name"] for p in household] == ["Erik", "Maja", "Olle"]
    assert facts["current_municipality"]["source"]["register"] == "population"
    assert facts["current_municipality"]["source_text"] == "From the population register"
    assert body["unavailable"] == []
    log = client.get("/api/v1/me/data-shares?agency=skatteverket", headers=headers).json
    read = log[0]
    assert read["kind"] == "register_read" and read["register"] == "population"
    assert "household" in log[1]["fields"] + read["fields"]  # who may move along
    # names of fields, never their values (a time's digits may hold "0180" by chance)
    assert not any("0180" in str(entry["fields"]) for entry in log)


def test_karin_is_never_asked_about_children(
    client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    headers = token_for(client, KARIN)
    prefill = client.get("/api/v1/life-events/moving/prefill", headers=headers).json
    facts = {fact["question"]: fact["value"] for fact in prefill["facts"]}
    assert facts == {"current_municipality": "0380", "move_registered": False}
    answers = without(example(client), "current_municipality", "contact_phone", "moving_along")
    response = submit(client, headers, answers)
    assert response.status_code == 201, response.json
    case = response.json
    answered = {answer["question"]: answer for answer in case["answers"]}
    assert answered["current_municipality"]["source"]["kind"] == "register"
    assert answered["moving_along"]["value"] == ["none"]  # nobody lives with her
    assert not any(step["agency"] == "kommun_0380" for step in case["steps"])


def test_anna_gives_neither_her_address_nor_her_children_and_the_case_completes(
    client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    headers = token_for(client, ANNA)
    response = submit(client, headers, without(example(client), "current_municipality"))
    assert response.status_code == 201, response.json
    case = wait_until(lambda: settled(client, headers, response.json["id"]), timeout_s=60)
    answered = {answer["question"]: answer for answer in case["answers"]}
    for key in ("current_municipality",):
        assert answered[key]["source"]["kind"] == "register", key
    assert answered["move_date"]["source"]["kind"] == "citizen"
    school = next(step for step in case["steps"] if step["key"] == "school-transfer")
    assert school["status"] == "done" and "current_municipality" in school["fields"]
    log = client.get("/api/v1/me/data-shares", headers=headers).json
    reads = [entry for entry in log if entry["case_id"] == case["id"]]
    assert {entry["kind"] for entry in reads} == {"register_read", "transfer"}
    assert [entry["at"] for entry in log] == sorted((entry["at"] for entry in log), reverse=True)


def test_saying_the_register_is_wrong_files_a_correction_with_the_citizens_value(
    client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    headers = token_for(client, ANNA)
    answers = {**example(client), "current_municipality": "0114"}  # not Stockholm, she says
    corrections = {"corrections": ["current_municipality"]}
    preview = client.post(
        "/api/v1/life-events/moving/preview",
        json={"answers": answers, **corrections},
        headers=headers,
    ).json
    agencies = {agency["agency"]: agency for agency in preview["agencies"]}
    correction = agencies["skatteverket"]["steps"][-1]
    assert correction["id"] == "correction-population"
    assert [f["name"] for f in correction["fields"]] == [
        "personal_number",
        "name",
        "current_municipality",
    ]
    response = submit(client, headers, answers, preview_digest=preview["digest"], **corrections)
    assert response.status_code == 201, response.json
    case = wait_until(lambda: settled(client, headers, response.json["id"]), timeout_s=60)
    step = next(step for step in case["steps"] if step["key"] == "correction-population")
    assert step["agency"] == "skatteverket" and step["status"] == "done"
    answered = {answer["question"]: answer for answer in case["answers"]}
    assert answered["current_municipality"]["source"]["reason"] == "disputed"
    assert case["consented_preview"] == preview["consent"]


def test_a_preview_that_no_longer_holds_is_refused(client: FlaskClient) -> None:
    headers = token_for(client, ANNA)
    response = submit(client, headers, example(client), preview_digest="0000000000000000")
    assert response.status_code == 409 and "preview" in response.json["message"]
    bad = submit(client, headers, example(client), corrections=["move_date"])
    assert bad.status_code == 422 and "corrections" in bad.json["errors"]["json"]


def test_a_register_outage_leaves_the_facts_to_the_citizen_marked_as_self_reported(
    client: FlaskClient, worker: subprocess.Popen[bytes], population_down: None
) -> None:
    headers = token_for(client, ANNA)
    prefill = client.get("/api/v1/life-events/moving/prefill", headers=headers).json
    assert prefill["facts"] == []
    assert {item["register"] for item in prefill["unavailable"]} == {"population"}
    alone = {**example(client), "moving_along": ["none"]}  # the household cannot be read
    missing = submit(client, headers, without(alone, "current_municipality"))
    assert missing.status_code == 422
    assert "current_municipality" in missing.json["errors"]["json"]["answers"]
    unchecked = submit(client, headers, example(client))  # the household cannot be checked
    assert unchecked.status_code == 422 and "moving_along" in unchecked.json["message"]
    response = submit(client, headers, alone)
    assert response.status_code == 201, response.json
    case = wait_until(lambda: settled(client, headers, response.json["id"]), timeout_s=60)
    assert all(step["status"] in ("done", "waiting", "not_needed") for step in case["steps"])
    answered = {answer["question"]: answer for answer in case["answers"]}
    for key in ("current_municipality",):
        assert answered[key]["source"] == {
            "kind": "self_reported",
            "register": "population",
            "fact": answered[key]["source"]["fact"],
            "reason": "register_unavailable",
        }

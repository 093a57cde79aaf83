"""A household move through the real worker: Anna chooses who moves along among the people
the population register lists at her address. The children are reported on their behalf, as
her wards; Erik's part waits with the ball on him until he confirms his own move; school and
preschool follow the ages of the children chosen."""

from __future__ import annotations

import subprocess
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import example, token_for, wait_until

ANNA, ERIK, MAJA, OLLE = "19850312-2387", "19870715-4574", "20150411-3893", "20191102-7496"
KARIN = "19440225-3274"
HELD, CHILDREN = "spouse-change-of-address", "children-change-of-address"


def case(client: FlaskClient, headers: dict[str, str], case_id: str) -> dict[str, Any]:
    return dict(client.get(f"/api/v1/cases/{case_id}?lang=en", headers=headers).json)


def asked(client: FlaskClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = client.get("/api/v1/me/confirmations?lang=en", headers=headers)
    assert response.status_code == 200, response.json
    return [c for c in response.json if c["state"] == "asked"]


def sent_values(client: FlaskClient, headers: dict[str, str], answers: dict[str, Any]) -> Any:
    """What each step would send, by step and field, as the preview says."""
    response = client.post(
        "/api/v1/life-events/moving/preview?lang=en", json={"answers": answers}, headers=headers
    )
    assert response.status_code == 200, response.json
    steps = [step for agency in response.json["agencies"] for step in agency["steps"]]
    return {
        step["id"]: step | {"values": {f["name"]: f["value"] for f in step["fields"]}}
        for step in steps
    }


def settled_but(client: FlaskClient, headers: dict[str, str], case_id: str, held: set[str]) -> Any:
    found = case(client, headers, case_id)
    others = [s for s in found["steps"] if s["key"] not in held]
    return found if all(s["status"] in ("done", "not_needed") for s in others) else None


def test_anna_moves_with_erik_and_both_children(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    anna, erik = token_for(client, ANNA), token_for(client, ERIK)
    for old in asked(client, erik):  # what earlier tests asked him is answered first
        client.post(
            f"/api/v1/me/confirmations/{old['id']}", json={"decision": "decline"}, headers=erik
        )
    answers = {**example(client), "moving_along": [ERIK, MAJA, OLLE], "housing_allowance": False}
    preview = sent_values(client, anna, answers)
    assert preview[CHILDREN]["values"]["moving_along.children"] == [
        {"personal_number": MAJA, "name": "Maja Lindqvist"},
        {"personal_number": OLLE, "name": "Olle Lindqvist"},
    ]
    assert "as their guardian" in preview[CHILDREN]["reason"]
    # Erik's own move names him, not Anna: his number and name go with it.
    assert preview[HELD]["values"]["moving_along.spouse"] == [
        {"personal_number": ERIK, "name": "Erik Lindqvist"}
    ]
    body = {"life_event": "moving", "answers": answers, "consent": True}
    response = client.post("/api/v1/cases", json=body, headers=anna)
    assert response.status_code == 201, response.json
    case_id = response.json["id"]

    waiting = wait_until(lambda: settled_but(client, anna, case_id, {HELD}), timeout_s=60)
    steps = {s["key"]: s for s in waiting["steps"]}
    # Maja (11) and Olle (7) both go to school now: no preschool step for either.
    assert {CHILDREN, "school-transfer", "school-leaving", HELD} <= set(steps)
    assert "preschool-transfer" not in steps and "preschool-leaving" not in steps
    assert (steps[HELD]["status"], steps[HELD]["ball"]) == ("waiting", "person")
    ledger = {e.step_id: e for e in app.extensions["ledger"].entries()}
    assert steps[HELD]["id"] not in ledger  # nothing of his move has left
    children = ledger[steps[CHILDREN]["id"]]
    assert (children.agency, children.times_received) == ("skatteverket", 1)
    assert "moving_along.children" in children.fields and "moving_along" not in children.fields
    kept = next(a for a in waiting["answers"] if a["question"] == "moving_along")
    assert [m["personal_number"] for m in kept["value"]] == [ERIK, MAJA, OLLE]

    [request] = wait_until(lambda: asked(client, erik))
    answer = client.post(
        f"/api/v1/me/confirmations/{request['id']}", json={"decision": "confirm"}, headers=erik
    )
    assert answer.status_code == 200, answer.json

    def done() -> dict[str, Any] | None:
        found = case(client, anna, case_id)
        return found if found["status"] == "done" else None

    finished = wait_until(done, timeout_s=60)
    step = next(s for s in finished["steps"] if s["key"] == HELD)
    entry = next(e for e in app.extensions["ledger"].entries() if e.step_id == step["id"])
    assert (entry.agency, entry.times_received) == ("skatteverket", 1)
    assert "moving_along.spouse" in entry.fields


def test_only_maja_moves_with_anna(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    anna = token_for(client, ANNA)
    # The key the prefill API names her by is an answer too, as is her number.
    listed = client.get("/api/v1/life-events/moving/prefill?lang=sv", headers=anna).json
    [household] = [p["people"] for p in listed["people"] if p["question"] == "moving_along"]
    maja = next(p for p in household if p["first_name"] == "Maja")
    answers = {**example(client), "moving_along": [maja["key"]], "housing_allowance": False}
    values = sent_values(client, anna, answers)[CHILDREN]["values"]
    assert values["moving_along.children"] == [{"personal_number": MAJA, "name": "Maja Lindqvist"}]
    body = {"life_event": "moving", "answers": answers, "consent": True}
    response = client.post("/api/v1/cases", json=body, headers=anna)
    assert response.status_code == 201, response.json
    finished = wait_until(lambda: settled_but(client, anna, response.json["id"], set()), 60)
    assert finished["status"] == "done"
    steps = {s["key"] for s in finished["steps"]}
    assert {CHILDREN, "school-transfer", "school-leaving"} <= steps
    assert not steps & {HELD, "preschool-transfer", "preschool-leaving"}


def test_the_prefill_api_names_the_household_by_first_name_and_year_only(
    client: FlaskClient,
) -> None:
    listed = client.get("/api/v1/life-events/moving/prefill?lang=en", headers=token_for(client))
    assert listed.status_code == 200, listed.json
    [people] = [p["people"] for p in listed.json["people"] if p["question"] == "moving_along"]
    assert [(p["first_name"], p["born"], p["relation"], p["text"]) for p in people] == [
        ("Erik", 1987, "spouse", "Erik, born 1987 (spouse or partner)"),
        ("Maja", 2015, "child", "Maja, born 2015 (child)"),
        ("Olle", 2019, "child", "Olle, born 2019 (child)"),
    ]
    assert not any(n[:8] in str(listed.json["people"]) for n in (ERIK, MAJA, OLLE))


def test_someone_outside_the_household_is_refused_naming_the_field(client: FlaskClient) -> None:
    body = {
        "life_event": "moving",
        "answers": {**example(client), "moving_along": [MAJA, KARIN]},
        "consent": True,
    }
    response = client.post("/api/v1/cases", json=body, headers=token_for(client))
    assert response.status_code == 422
    assert response.json["message"].startswith("answers.moving_along: ")
    assert f"{KARIN} is not among the people" in response.json["message"]
    assert "moving_along" in response.json["errors"]["json"]["answers"]


def test_people_named_while_the_register_is_silent_are_refused_saying_so(
    client: FlaskClient, population_down: None
) -> None:
    body = {
        "life_event": "moving",
        "answers": {**example(client), "moving_along": [MAJA]},
        "consent": True,
    }
    response = client.post("/api/v1/cases", json=body, headers=token_for(client))
    assert response.status_code == 422
    assert response.json["message"].startswith("answers.moving_along: ")
    assert "population register is not answering" in response.json["message"]
    alone = {**body, "answers": {**body["answers"], "moving_along": ["none"]}}
    assert client.post("/api/v1/cases", json=alone, headers=token_for(client)).status_code == 201

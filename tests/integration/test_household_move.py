"""A household move: the register knows Anna's husband; when he moves along, his part waits
with the ball on him until he confirms his own move in his mailbox, then goes once."""

from __future__ import annotations

import subprocess
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import example, token_for, wait_until

ANNA, ERIK = "19850312-2387", "19870715-4574"
HELD = "spouse-change-of-address"


def case(client: FlaskClient, headers: dict[str, str], case_id: str) -> dict[str, Any]:
    return dict(client.get(f"/api/v1/cases/{case_id}?lang=en", headers=headers).json)


def asked(client: FlaskClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = client.get("/api/v1/me/confirmations?lang=en", headers=headers)
    assert response.status_code == 200, response.json
    return [c for c in response.json if c["state"] == "asked"]


def test_the_spouse_who_moves_along_confirms_his_own_move(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    anna, erik = token_for(client, ANNA), token_for(client, ERIK)
    for old in asked(client, erik):  # what earlier tests asked him is answered first
        client.post(
            f"/api/v1/me/confirmations/{old['id']}", json={"decision": "decline"}, headers=erik
        )
    answers = {**example(client), "spouse_moves_along": True, "housing_allowance": False}
    body = {"life_event": "moving", "answers": answers, "consent": True}
    response = client.post("/api/v1/cases", json=body, headers=anna)
    assert response.status_code == 201, response.json
    case_id = response.json["id"]

    def settled() -> dict[str, Any] | None:
        found = case(client, anna, case_id)
        others = [s for s in found["steps"] if s["key"] != HELD]
        return found if all(s["status"] in ("done", "not_needed") for s in others) else None

    waiting = wait_until(settled, timeout_s=60)
    held = next(s for s in waiting["steps"] if s["key"] == HELD)
    assert (held["status"], held["ball"]) == ("waiting", "person")
    ledger = {e.step_id for e in app.extensions["ledger"].entries()}
    assert held["id"] not in ledger  # nothing of his move has left

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


def test_the_register_knows_the_household_by_first_name_and_year_only() -> None:
    import datetime as dt

    from agencies.registers.simulated import population

    household = population(ANNA, dt.date(2026, 12, 6))["household"]
    assert household == [
        {"first_name": "Erik", "born": 1987, "relation": "spouse"},
        {"first_name": "Maja", "born": 2015, "relation": "child"},
        {"first_name": "Olle", "born": 2019, "relation": "child"},
    ]
    assert "19870715" not in str(household)

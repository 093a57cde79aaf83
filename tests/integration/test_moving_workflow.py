"""A `moving` case through the API, a real Celery worker and real Redis, to every agency."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import example, wait_until
from workflows.lifeevents import catalogue


def submit(client: FlaskClient, headers: dict[str, str], answers: dict[str, Any]) -> dict[str, Any]:
    body = {"life_event": "moving", "answers": answers, "consent": True}
    response = client.post("/api/v1/cases", json=body, headers=headers)
    assert response.status_code == 201, response.json
    return response.json


def finished(client: FlaskClient, headers: dict[str, str], case_id: str) -> dict[str, Any] | None:
    case = client.get(f"/api/v1/cases/{case_id}", headers=headers).json
    for step in case["steps"]:  # a step handled by a person: the agency's system approves it
        if (step["status"], step["ball"]) == ("waiting", "agency"):
            approve(client, step["agency"], step["id"])
    return case if case["status"] in ("done", "done_with_problems") else None


def approve(client: FlaskClient, agency: str, step_id: str) -> None:
    token = client.post("/api/v1/dev/agency/token", json={"agency": agency}).json
    response = client.post(
        f"/api/v1/agencies/{agency}/steps/{step_id}/decision",
        json={"decision": "approve"},
        headers={"Authorization": f"Bearer {token['access_token']}"},
    )
    assert response.status_code == 200, response.json


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {
            "moving_along": ["none"],
            "studying": True,
            "housing": "own",
            "housing_allowance": None,
        },
    ],
    ids=["family-renting", "student-owning"],
)
def test_every_step_reaches_its_agency_exactly_once_with_exactly_its_fields(
    app: Flask,
    client: FlaskClient,
    worker: subprocess.Popen[bytes],
    anna: dict[str, str],
    changes: dict[str, Any],
) -> None:
    answers = {k: v for k, v in {**example(client), **changes}.items() if v is not None}
    case = submit(client, anna, answers)
    done = wait_until(lambda: finished(client, anna, case["id"]), timeout_s=60)
    assert done["status"] == "done"
    event = catalogue()["moving"]
    submitted = [step for step in done["steps"] if step["status"] != "not_needed"]
    assert all(step["status"] == "done" and step["agency_reference"] for step in submitted)
    assert all(step["ball"] == "none" for step in done["steps"])

    ledger = {entry.step_id: entry for entry in app.extensions["ledger"].entries()}
    for step in submitted:
        entry = ledger[step["id"]]
        assert entry.times_received == 1
        assert entry.agency == step["agency"]
        assert entry.case_id == case["id"]
        assert entry.reference == step["agency_reference"]
        assert sorted(entry.fields) == sorted(event.step(step["key"]).fields)
    not_needed = [step for step in done["steps"] if step["status"] == "not_needed"]
    assert [step["key"] for step in not_needed] == ["vehicle-register"]
    assert not any(step["id"] in ledger for step in not_needed)


def test_a_dependent_step_starts_only_after_its_dependency_is_done(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes], anna: dict[str, str]
) -> None:
    case = submit(client, anna, example(client))
    done = wait_until(lambda: finished(client, anna, case["id"]), timeout_s=60)
    by_key = {step["key"]: step["id"] for step in done["steps"]}
    timeline = done["timeline"]
    position = {(entry["kind"], entry["step_id"]): index for index, entry in enumerate(timeline)}
    address_done = position[("step_done", by_key["change-of-address"])]
    school_started = position[("step_started", by_key["school-transfer"])]
    assert address_done < school_started
    ledger = {entry.step_id: entry for entry in app.extensions["ledger"].entries()}
    assert set(by_key.values()) - {by_key["vehicle-register"]} <= set(ledger)


def test_the_data_sharing_log_names_each_agency_and_its_fields(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes], anna: dict[str, str]
) -> None:
    case = submit(client, anna, example(client))
    done = wait_until(lambda: finished(client, anna, case["id"]), timeout_s=60)
    from contactpoint.db.models import DataShare
    from contactpoint.extensions import db

    with app.app_context():
        shares = db.session.query(DataShare).filter_by(case_id=case["id"]).all()
        logged = {share.step_id: (share.recipient, sorted(share.fields)) for share in shares}
    for step in done["steps"]:
        if step["status"] == "done":
            assert logged[step["id"]] == (step["agency"], sorted(step["fields"]))

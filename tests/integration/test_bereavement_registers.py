"""Bereavement as the registers tell it: the date of death, the municipality, the vehicles and
a sole trader's business of the deceased are read, never asked; the agencies that learn of a
death from the population register are told by it, not by us; a small estate goes to the
municipality as an estate notice."""

from __future__ import annotations

import subprocess

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import token_for, wait_until
from tests.integration.test_moving_workflow import finished

JOHAN, SVEN, ANNA = "19700101-6356", "19400312-1011", "19850312-2387"


def test_the_registers_answer_for_the_deceased_and_each_agency_gets_its_part(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    headers = token_for(client, JOHAN)
    answers = {
        "deceased": SVEN,
        "received": ["pension", "social_insurance"],
        "estate_small": True,
        "survivor_pension": False,
    }
    body = {"life_event": "bereavement", "answers": answers, "consent": True}
    response = client.post("/api/v1/cases?lang=en", json=body, headers=headers)
    assert response.status_code == 201, response.json
    case = wait_until(lambda: finished(client, headers, response.json["id"]), timeout_s=60)
    assert case["status"] == "done"

    held = {a["question"]: a for a in case["answers"]}
    assert held["date_of_death"]["value"] == "2026-11-20"
    assert held["deceased_municipality"]["value"] == "1280"
    assert (held["vehicle"]["value"], held["business"]["value"]) == (True, True)
    assert held["business_number"]["value"] == "400312-1011"
    for question in ("date_of_death", "vehicle", "business", "deceased_municipality"):
        assert held[question]["source"]["kind"] == "register", question

    steps = {step["key"]: step for step in case["steps"]}
    ledger = {e.step_id: e for e in app.extensions["ledger"].entries()}
    assert ledger[steps["vehicle"]["id"]].agency == "transportstyrelsen"
    business = ledger[steps["business"]["id"]]
    assert business.agency == "bolagsverket" and "business_number" in business.fields
    notice = ledger[steps["estate-notice"]["id"]]
    assert notice.agency == "kommun_1280"  # Malmö, where he lived
    assert "estate-inventory" not in steps  # a small estate needs no inventory
    for told in ("pension", "social-insurance"):
        assert steps[told]["status"] == "not_needed" and steps[told]["id"] not in ledger
        assert steps[told]["told_by"] == "Får veta det automatiskt från folkbokföringen."
    english = client.get(f"/api/v1/cases/{case['id']}?lang=en", headers=headers).json
    pension = next(step for step in english["steps"] if step["key"] == "pension")
    assert pension["told_by"] == "Told automatically by the population register."


def test_nothing_about_someone_else_is_read_without_the_relation(client: FlaskClient) -> None:
    answers = {"deceased": SVEN, "received": ["nothing"], "estate_small": False}
    body = {"life_event": "bereavement", "answers": answers, "consent": True}
    response = client.post("/api/v1/cases?lang=en", json=body, headers=token_for(client, ANNA))
    assert response.status_code == 422
    assert "2026-11-20" not in response.get_data(as_text=True)
    assert "KLM 456" not in response.get_data(as_text=True)

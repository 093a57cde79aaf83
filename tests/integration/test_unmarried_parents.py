"""A new baby of unmarried parents: the population register says they are not married, so the
other parent's confirmation of parenthood goes to the family law unit of the municipality
where they live, and the joint custody notice to Skatteverket after it."""

from __future__ import annotations

import subprocess

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import example, token_for, wait_until
from tests.integration.test_moving_workflow import finished

EMMA, ALI, NORA = "19950822-2008", "19930130-3013", "20261118-1005"


def test_unmarried_parents_confirm_parenthood_then_report_joint_custody(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    answers = {
        **example(client, "new-baby"),
        "child": NORA,
        "other_parent": ALI,
        "joint_custody": True,
        "split_child_allowance": False,
        "preschool_municipality": "2480",
    }
    for prefilled in ("marital_status", "home_municipality"):
        answers.pop(prefilled)  # the population register answers them
    headers = token_for(client, EMMA)
    body = {"life_event": "new-baby", "answers": answers, "consent": True}
    response = client.post("/api/v1/cases", json=body, headers=headers)
    assert response.status_code == 201, response.json
    case = wait_until(lambda: finished(client, headers, response.json["id"]), timeout_s=60)
    assert case["status"] == "done"

    held = {a["question"]: a["value"] for a in case["answers"]}
    assert (held["marital_status"], held["home_municipality"]) == ("unmarried", "2480")
    steps = {step["key"]: step for step in case["steps"]}
    ledger = {e.step_id: e for e in app.extensions["ledger"].entries()}
    confirmation = ledger[steps["parenthood-confirmation"]["id"]]
    assert confirmation.agency == "kommun_2480"  # Umeå's family law unit
    assert "other_parent" in confirmation.fields and confirmation.on_behalf_of == NORA
    custody = ledger[steps["joint-custody"]["id"]]
    assert custody.agency == "skatteverket" and custody.times_received == 1
    timeline = case["timeline"]
    confirming = steps["parenthood-confirmation"]["id"]
    confirmed = max(i for i, e in enumerate(timeline) if e["step_id"] == confirming)
    started = next(
        i
        for i, e in enumerate(timeline)
        if (e["kind"], e["step_id"]) == ("step_started", steps["joint-custody"]["id"])
    )
    assert confirmed < started  # custody is reported once the parenthood is confirmed

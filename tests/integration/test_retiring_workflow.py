"""Retiring, the fifth life event, through the API and a real worker to the agencies: with
housing supplement (decided by a case officer) and the unemployment fund told, and without
them."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import example, token_for, wait_until
from tests.integration.test_moving_workflow import finished
from workflows.lifeevents import catalogue
from workflows.rules import check_answers, plan_steps

MARGARETA = "19620415-2380"
WITHOUT = {
    "housing_supplement": False,
    "housing_cost": None,
    "housing_allowance": False,
    "unemployment_benefit": False,
    "sickness_compensation": True,
    "pension_extent": "half",
}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {},
            {
                "old-age-pension",
                "housing-supplement",
                "housing-allowance-ends",
                "unemployment-fund",
            },
        ),
        (WITHOUT, {"old-age-pension", "sickness-compensation-ends"}),
    ],
    ids=["with-housing-supplement", "without"],
)
def test_retiring_reaches_pensionsmyndigheten_forsakringskassan_and_the_fund_as_it_applies(
    app: Flask,
    client: FlaskClient,
    worker: subprocess.Popen[bytes],
    changes: dict[str, Any],
    expected: set[str],
) -> None:
    event = catalogue()["retiring"]
    published = example(client, "retiring")
    answers = {k: v for k, v in {**published, **changes}.items() if v is not None}
    headers = token_for(client, MARGARETA)
    body = {"life_event": "retiring", "answers": answers, "consent": True}
    response = client.post("/api/v1/cases", json=body, headers=headers)
    assert response.status_code == 201, response.json
    case = wait_until(lambda: finished(client, headers, response.json["id"]), timeout_s=60)
    assert case["status"] == "done"

    plans = {p.id: p for p in plan_steps(event, check_answers(event, answers).clean)}
    ledger = {e.step_id: e for e in app.extensions["ledger"].entries()}
    sent = {step["key"] for step in case["steps"] if step["id"] in ledger}
    assert sent == expected
    for step in case["steps"]:
        if step["key"] in expected:
            entry = ledger[step["id"]]
            assert entry.times_received == 1
            assert (entry.agency, sorted(entry.fields)) == (
                plans[step["key"]].step.agency,
                sorted(plans[step["key"]].fields),
            )
    fund = [step for step in case["steps"] if step["key"] == "unemployment-fund"]
    if "unemployment-fund" in expected:  # the fund, an agency of its own, on its own queue
        assert [step["agency"] for step in fund] == ["akassa"]
        entry = ledger[fund[0]["id"]]
        assert entry.agency == "akassa" and entry.kind == "submission"
        assert sorted(entry.fields) == sorted(
            ["personal_number", "name", "pension_start", "pension_extent"]
        )
    else:
        assert all(step["status"] == "not_needed" for step in fund)


def test_the_register_answers_the_address_and_marital_status(client: FlaskClient) -> None:
    headers = token_for(client, MARGARETA)
    found = client.get("/api/v1/life-events/retiring/prefill", headers=headers)
    assert found.status_code == 200, found.json
    facts = {fact["question"]: fact for fact in found.json["facts"]}
    assert facts["home_municipality"]["value"] == "1980"  # Västerås, by its code
    assert facts["marital_status"]["value"] == "unmarried"
    assert facts["home_street"]["value"] == "Stora Gatan 18"

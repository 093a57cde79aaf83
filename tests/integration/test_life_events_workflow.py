"""Each life event through the API, a real Celery worker and real Redis, checked at the agencies."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from agencies.sandbox import submissions
from tests.conftest import example, token_for, wait_until
from tests.helpers.confirmations import confirm_held
from workflows.lifeevents import catalogue
from workflows.rules import check_answers, plan_steps

KARIN, SARA, DAVID, ERIK, JOHAN = (
    "19440225-3274",
    "19920604-2823",
    "19900118-3376",
    "19870715-4574",
    "19700101-6356",
)
GUSTAV, LEO = "19410830-4132", "20261110-4510"

SOLE_TRADER = {
    "business_form": "sole_trader",
    "business_name": "Johans Cykelservice",
    "register_name": True,
    "share_capital": None,
    "employs": False,
    "first_salary_date": None,
    "handles_food": False,
    "vat_liable": True,
}
CASES = [
    ("moving", KARIN, {"moving_along": None,
                       "pensioner": True, "housing_allowance": None,
                       "housing_supplement": True}),
    ("moving", ERIK, {"studying": True, "housing": "own", "housing_allowance": None}),
    ("start-business", ERIK, {}),
    ("start-business", JOHAN, SOLE_TRADER),
    ("new-baby", SARA, {}),
    ("new-baby", DAVID, {"report_name": False, "child_names": None, "parental_benefit": False,
                         "benefit_start": None, "benefit_days_per_week": None,
                         "benefit_extent": None, "split_child_allowance": False}),
    ("bereavement", KARIN, {}),
    ("bereavement", KARIN, {"received": ["social_insurance", "student_finance"],
                            "vehicle": False, "business": True,
                            "business_number": "556012-5790"}),
]  # fmt: skip
IDS = [
    "moving-pensioner",
    "moving-student",
    "limited-company",
    "sole-trader",
    "baby-everything",
    "baby-queue-only",
    "death-pension-car",
    "death-benefits-business",
]


def finished(client: FlaskClient, headers: dict[str, str], case_id: str) -> dict[str, Any] | None:
    case = client.get(f"/api/v1/cases/{case_id}", headers=headers).json
    return case if case["status"] in ("done", "done_with_problems") else None


def received(app: Flask, step_id: str) -> dict[str, Any]:
    """What the simulated agency holds for a step: the values it received."""
    ledger = app.extensions["ledger"]
    with ledger.engine.connect() as conn:
        row = conn.execute(sa.select(submissions).where(submissions.c.step_id == step_id)).one()
    return dict(row.payload)


@pytest.mark.parametrize(("event_id", "person", "changes"), CASES, ids=IDS)
def test_a_life_event_reaches_every_agency_once_with_only_its_fields(
    app: Flask,
    client: FlaskClient,
    worker: subprocess.Popen[bytes],
    event_id: str,
    person: str,
    changes: dict[str, Any],
) -> None:
    event = catalogue()[event_id]
    answers = {k: v for k, v in {**example(client, event_id), **changes}.items() if v is not None}
    headers = token_for(client, person)
    body = {"life_event": event_id, "answers": answers, "consent": True}
    response = client.post("/api/v1/cases", json=body, headers=headers)
    assert response.status_code == 201, response.json
    confirm_held(client, response.json, person)  # the other guardian's yes, where needed
    case = wait_until(lambda: finished(client, headers, response.json["id"]), timeout_s=60)
    assert case["status"] == "done"

    plans = {plan.id: plan for plan in plan_steps(event, check_answers(event, answers).clean)}
    # A birth or death the other guardian or another estate member reported first (an earlier
    # test's case) is not sent again: this case has only the steps that case lacks.
    shared = client.get(f"/api/v1/cases/{case['id']}/shared-status", headers=headers)
    assert shared.status_code == 200, shared.json
    reported = {s["key"] for s in shared.json["steps"]}
    assert {step["key"] for step in case["steps"]} == set(plans) - reported
    acting_for = answers.get(event.on_behalf_of.question) if event.on_behalf_of else None
    ledger = {entry.step_id: entry for entry in app.extensions["ledger"].entries()}
    for step in case["steps"]:
        plan = plans[step["key"]]
        assert step["on_behalf_of"] == acting_for
        if plan.status == "not_needed":
            assert step["status"] == "not_needed" and step["id"] not in ledger
            continue
        entry = ledger[step["id"]]
        assert step["status"] == "done" and entry.reference == step["agency_reference"]
        assert (entry.agency, entry.times_received) == (plan.step.agency, 1)
        assert sorted(entry.fields) == sorted(plan.fields)
        assert entry.on_behalf_of == acting_for
    if event_id == "start-business":
        check_the_organisation_number_flows_on(app, case)
    if event_id == "bereavement":
        inventory = next(s for s in case["steps"] if s["key"] == "estate-inventory")
        assert inventory["deadline"] == "2027-01-28"
        assert "2027" in inventory["next_step"]


def check_the_organisation_number_flows_on(app: Flask, case: dict[str, Any]) -> None:
    by_key = {step["key"]: step for step in case["steps"]}
    if "register-company" not in by_key:
        assert "organisation_number" not in received(app, by_key["f-tax"]["id"])
        return
    issued = received(app, by_key["f-tax"]["id"])["organisation_number"]
    assert issued
    position = {(e["kind"], e["step_id"]): i for i, e in enumerate(case["timeline"])}
    registered = position[("step_done", by_key["register-company"]["id"])]
    keys = ("f-tax", "vat-registration", "employer-registration", "food-registration")
    for key in (*keys, "beneficial-owners"):
        assert received(app, by_key[key]["id"])["organisation_number"] == issued
        assert registered < position[("step_started", by_key[key]["id"])]


@pytest.mark.parametrize(
    ("event_id", "person", "question", "other"),
    [("bereavement", "19850312-2387", "deceased", GUSTAV), ("new-baby", KARIN, "child", LEO)],
)
def test_someone_without_the_relation_cannot_submit(
    app: Flask, client: FlaskClient, event_id: str, person: str, question: str, other: str
) -> None:
    answers = {**example(client, event_id), question: other}
    body = {"life_event": event_id, "answers": answers, "consent": True}
    response = client.post("/api/v1/cases?lang=en", json=body, headers=token_for(client, person))
    assert response.status_code == 422
    message = response.json["errors"]["json"]["answers"][question][0]
    assert "population register does not list you" in message

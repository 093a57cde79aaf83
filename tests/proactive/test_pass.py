"""The periodic pass, at its time: the one clock moved, never slept. A passport running out
within three months, a step's deadline a set time before it (and none once the step is met),
and a case that shows eligibility for something not applied for: each one message, once."""

from __future__ import annotations

import datetime as dt
import subprocess
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from agencies import clock
from agencies.registers.recorded import PASSPORTS
from tests.conftest import ANNA, example, token_for
from tests.helpers.officer import submit, wait_for_step
from workflows import proactive
from workflows.deadlines import add_months

KARIN, JOHAN = "19440225-3274", "19700101-6356"


def run_pass(app: Flask, day: dt.date) -> dict[str, int]:
    """One pass with the one clock moved to noon in Sweden on `day` (and back after it: the
    tokens of the test were issued by the real one)."""
    moment = dt.datetime.combine(day, dt.time(11), tzinfo=dt.UTC)
    with pytest.MonkeyPatch.context() as moved, app.app_context():
        moved.setattr(clock, "now", lambda: moment)
        return proactive.run_pass(proactive.current())


def of_rule(client: FlaskClient, headers: dict[str, str], rule_title: str) -> list[Any]:
    found = client.get("/api/v1/me/messages?lang=en", headers=headers).json
    return [message for message in found if message["title"] == rule_title]


def test_a_passport_running_out_within_three_months_is_reminded_once(
    app: Flask, client: FlaskClient
) -> None:
    expires = PASSPORTS[KARIN]
    karin = token_for(client, KARIN)
    title = "Your passport expires soon"
    run_pass(app, expires - dt.timedelta(days=120))
    assert of_rule(client, karin, title) == []  # four months before: not yet
    run_pass(app, expires - dt.timedelta(days=80))
    run_pass(app, expires - dt.timedelta(days=80))  # a second pass the same day adds nothing
    [reminder] = of_rule(client, karin, title)
    assert reminder["kind"] == "reminder"
    assert "20 February 2027" in reminder["text"]
    assert reminder["reason"] == (
        "You get this because the population register says your passport expires on"
        " 20 February 2027."
    )


def test_the_estate_inventory_is_reminded_two_weeks_before_its_deadline(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    karin = token_for(client, KARIN)
    died = clock.today() - dt.timedelta(days=10)
    answers = {**example(client, "bereavement"), "date_of_death": died.isoformat()}
    body = {"life_event": "bereavement", "answers": answers, "consent": True}
    case = client.post("/api/v1/cases", json=body, headers=karin).json
    deadline = add_months(died, 3)

    def reminders() -> list[Any]:
        found = client.get("/api/v1/me/messages?lang=en", headers=karin).json
        return [
            m for m in found
            if m["case_id"] == case["id"] and m["title"] == "The estate inventory is due soon"
        ]  # fmt: skip

    run_pass(app, deadline - dt.timedelta(days=15))
    assert reminders() == []
    run_pass(app, deadline - dt.timedelta(days=14))
    run_pass(app, deadline - dt.timedelta(days=14))
    [reminder] = reminders()
    assert reminder["action"]["type"] == "open_case"
    assert reminder["reason"].startswith("You get this because you reported a death here")


def test_no_reminder_once_the_food_registration_is_done(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    erik = token_for(client, "19870715-4574")
    start = clock.today() + dt.timedelta(days=40)
    answers = {**example(client, "start-business"), "start_date": start.isoformat()}
    body = {"life_event": "start-business", "answers": answers, "consent": True}
    case = client.post("/api/v1/cases", json=body, headers=erik).json
    wait_for_step(client, erik, case["id"], "food-registration", "done")
    run_pass(app, start - dt.timedelta(days=21))  # the deadline's reminder is due
    found = client.get("/api/v1/me/messages?lang=en", headers=erik).json
    titles = [m["title"] for m in found if m["case_id"] == case["id"]]
    assert "Registration of your food business" not in titles


def test_moving_with_children_to_a_rented_home_suggests_housing_allowance_once(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    anna = token_for(client, ANNA)
    changes: dict[str, Any] = {"housing": "rent", "housing_allowance": False}
    first = submit(client, anna, **changes, bank_account=None, pensioner=False)
    run_pass(app, clock.today())
    submit(client, anna, **changes, bank_account=None, pensioner=False)
    run_pass(app, clock.today())
    [suggestion] = of_rule(client, anna, "You may be able to get housing allowance")
    assert suggestion["kind"] == "suggestion" and suggestion["action"]["type"] == "dismiss"
    assert suggestion["case_id"] is not None
    owned = client.get(f"/api/v1/cases/{suggestion['case_id']}", headers=anna)
    assert owned.status_code == 200
    assert "moving with children into a rented home" in suggestion["reason"]
    assert first["id"]

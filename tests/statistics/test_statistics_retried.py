"""Steps tried again, in the open statistics, from real cases on SQLite and PostgreSQL: the
simulated Skatteverket fails every call while one worker runs, so each case's step there is
put on the schedule for an outage; the agency is back with the next worker, recovery sends the
steps again, and the month's published figure counts them, enough cases to be shown."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from agencies import clock
from tests.conftest import wait_until
from workflows.durability_tasks import recover
from workflows.statistics import THRESHOLD, month_of

from .conftest import StatisticsCluster, finished, roll_up_after, submit

DOWN = "skatteverket"
AGENCY_DOWN = {
    f"CONTACTPOINT_AGENCY_{DOWN.upper()}_FAILURE_RATE": "1",
    "CONTACTPOINT_RETRY_BASE_DELAY_S": "0.1",  # the quick attempts spent in a few seconds
    "CONTACTPOINT_RETRY_OUTAGE_EVERY_S": "1",  # then the schedule: tried again a second later
    "CONTACTPOINT_BREAKER_FAILURES": "0",  # every attempt reaches the agency and counts
}


def _scheduled(client: FlaskClient, step_ids: list[str]) -> bool:
    """Every one of these steps waits, in the database, for its scheduled retry."""
    token = client.post("/api/v1/dev/agency/token", json={"agency": DOWN}).json["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    steps = [client.get(f"/api/v1/agencies/{DOWN}/steps/{i}", headers=headers) for i in step_ids]
    return all(step.json["status"] == "running" and step.json["retry_at"] for step in steps)


def test_steps_an_agency_failed_and_were_tried_again_are_published(
    cluster: StatisticsCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    cluster.replace_worker("agency-down", **AGENCY_DOWN)
    client = cluster.client()
    month = month_of(clock.now())
    sent = submit(client, "moving", THRESHOLD)
    at_agency = [  # the steps there that wait for no other: sent at once, to the agency down
        step["id"]
        for case_id, headers in sent
        for step in client.get(f"/api/v1/cases/{case_id}", headers=headers).json["steps"]
        if step["agency"] == DOWN and not step["depends_on"]
    ]
    assert len(at_agency) >= len(sent)
    wait_until(lambda: _scheduled(client, at_agency), timeout_s=60)
    cluster.replace_worker("agency-back")  # the agency answers again

    cases: dict[str, Any] = {}

    def over() -> bool:
        with cluster.app.app_context():
            recover()  # the beat's pass: sends each step whose retry is due
        for case_id, headers in sent:
            cases[case_id] = finished(client, case_id, headers)
        return all(cases.values())

    wait_until(over, timeout_s=120, interval_s=0.5)
    assert {case["status"] for case in cases.values()} == {"done"}  # nothing failed for good
    if month_of(clock.now()) != month:
        pytest.skip("the month ended while the cases ran: their figures span two months")

    assert roll_up_after(month, monkeypatch, cluster.app) == [month]
    document = client.get("/api/v1/statistics").json
    (moving,) = {event["id"]: event for event in document["life_events"]}["moving"]["periods"]
    assert moving["steps_retried"] == len(at_agency)  # from as many cases: not left out
    assert "steps_retried" not in moving["suppressed"]
    assert moving["steps_failed"] == 0
    done = sum(s["status"] == "done" for case in cases.values() for s in case["steps"])
    assert moving["steps_done"] == done

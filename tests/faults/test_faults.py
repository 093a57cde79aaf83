"""Fault tests: real worker processes, a Redis each test owns, failing agencies.

Each ends when every case has ended, never after a fixed sleep, and stops all it started.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
import sqlalchemy as sa

from contactpoint.models import Case, Draft, Person, Step
from tests.conftest import ANNA, wait_until

from .conftest import (
    CASES,
    Cluster,
    all_finished,
    assert_every_step_ended_once,
    submit_cases,
    wait_for_all_finished,
)

pytestmark = pytest.mark.slow


def steps_in(cluster: Cluster, status: str) -> int:
    return len(cluster.query(sa.select(Step.id).where(Step.status == status)))


def test_a_worker_killed_mid_step_loses_no_case_and_does_no_step_twice(
    cluster_factory: Any,
) -> None:
    began = time.monotonic()
    cluster = cluster_factory(CONTACTPOINT_AGENCY_LATENCY_MS="60")
    cluster.start_beat()
    doomed = cluster.start_worker("doomed", concurrency=2)
    case_ids = submit_cases(cluster.client(), CASES)
    wait_until(lambda: steps_in(cluster, "running") >= 1, timeout_s=30, interval_s=0.02)
    cluster.kill(doomed)
    cluster.start_worker("rescuer", concurrency=3)
    wait_for_all_finished(cluster, case_ids, timeout_s=180)
    counts = assert_every_step_ended_once(cluster, case_ids)
    assert counts.get("step_recovered", 0) >= 1  # recovery drove what the dead worker held
    assert steps_in(cluster, "failed") == 0
    print(f"worker kill: {time.monotonic() - began:.1f}s")


def test_redis_restarted_with_cases_in_flight_loses_nothing(cluster_factory: Any) -> None:
    began = time.monotonic()
    cluster = cluster_factory(CONTACTPOINT_AGENCY_LATENCY_MS="30")
    cluster.start_beat()
    cluster.start_worker("steady", concurrency=3)
    client = cluster.client()
    case_ids = submit_cases(client, CASES)
    wait_until(lambda: steps_in(cluster, "done") >= 20, timeout_s=60, interval_s=0.05)
    assert not all_finished(cluster, case_ids)
    cluster.redis.stop()
    case_ids += submit_cases(client, 3)  # accepted while Redis is down
    cluster.restart_redis()
    # A worker whose broker connection broke may exit; its supervisor starts it again.
    wait_until(lambda: cluster.revive_workers() >= 0 and all_finished(cluster, case_ids), 180, 1)
    assert_every_step_ended_once(cluster, case_ids)
    assert steps_in(cluster, "failed") == 0
    print(f"redis restart: {time.monotonic() - began:.1f}s")


def test_failing_and_slow_agencies_end_every_case_with_retries_in_the_timeline(
    cluster_factory: Any,
) -> None:
    began = time.monotonic()
    cluster = cluster_factory(
        CONTACTPOINT_AGENCY_LATENCY_MS="20",
        CONTACTPOINT_AGENCY_FAILURE_RATE="0.3",
        CONTACTPOINT_AGENCY_TIMEOUT_RATE="0.1",
    )
    cluster.start_beat()
    cluster.start_worker("chaos", concurrency=3)
    client = cluster.client()
    case_ids = submit_cases(client, 30)
    wait_for_all_finished(cluster, case_ids, timeout_s=180)
    counts = assert_every_step_ended_once(cluster, case_ids)
    assert counts.get("step_retry", 0) > 0
    ledger = cluster.app.extensions["ledger"].entries()
    assert any(entry.times_received > 1 for entry in ledger)  # timeouts: received, resent, once
    headers = {
        "Authorization": client.post("/api/v1/dev/eid/token", json={"personal_number": ANNA}).json[
            "access_token"
        ]
    }
    headers["Authorization"] = f"Bearer {headers['Authorization']}"
    timelines = [
        client.get(f"/api/v1/cases/{case_id}", headers=headers).json["timeline"]
        for case_id in case_ids[:10]
    ]
    assert any(entry["kind"] == "step_retry" for timeline in timelines for entry in timeline)
    print(f"failing agencies: {time.monotonic() - began:.1f}s")


def _csrf(html: str, name: str = "csrf_token") -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"the form carries {name}"
    return match.group(1)


def test_redis_down_at_submit_the_api_and_the_page_accept_and_the_case_completes_later(
    cluster_factory: Any,
) -> None:
    began = time.monotonic()
    cluster = cluster_factory()
    client = cluster.client()
    answers = client.get("/api/v1/life-events/moving").json["example_answers"]
    answers = {**answers, "housing_allowance": False}  # no step waits for a case officer
    login = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"csrf_token": _csrf(login), "personal_number": ANNA})
    cluster.redis.stop()

    (api_case,) = submit_cases(client, 1)
    from contactpoint.extensions import db

    with cluster.app.app_context():
        person = db.session.scalar(sa.select(Person).where(Person.personal_number == ANNA))
        assert person is not None
        db.session.add(Draft(person_id=person.id, life_event="moving", answers=answers))
        db.session.commit()
        db.session.remove()
    check = client.get("/life-events/moving/check").get_data(as_text=True)
    data = {"csrf_token": _csrf(check), "consent": "yes"}
    if 'name="digest"' in check:
        data["digest"] = _csrf(check, "digest")
    response = client.post("/life-events/moving/check", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    page_case = response.headers["Location"].split("/cases/")[1].split("?")[0]
    page = client.get(response.headers["Location"])
    (reference,) = cluster.query(sa.select(Case.reference).where(Case.id == page_case))[0]
    assert page.status_code == 200 and reference in page.get_data(as_text=True)

    cluster.restart_redis()
    cluster.start_beat()
    cluster.start_worker("late", concurrency=2)
    wait_until(lambda: all_finished(cluster, [api_case, page_case]), timeout_s=120)
    assert_every_step_ended_once(cluster, [api_case, page_case])
    print(f"redis down at submit: {time.monotonic() - began:.1f}s")

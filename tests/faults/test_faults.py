"""Fault tests: real worker processes, a Redis each test owns, failing agencies.

Each ends when every case has ended, never after a fixed sleep, and stops all it started.
"""

from __future__ import annotations

import re
import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import redis
import sqlalchemy as sa

from contactpoint.db.models import Case, Draft, Person, Step
from contactpoint.extensions import db, dispose_engines
from tests.conftest import ANNA, wait_until
from tests.helpers.pages import login
from workflows import engine, runtime

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
    login(client, ANNA)  # through the simulated eID provider, as a browser
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


def test_a_commit_lost_after_its_steps_were_sent_is_made_good_in_order(
    cluster_factory: Any,
) -> None:
    """As when the database crashes just after a worker's commit that did not wait for the
    disk: the first step's answer, and the claim of the steps after it, are gone, though the
    messages for those steps are in the broker. Those messages must not send the steps ahead
    of the first one; recovery sends the first one again, and the case ends in order."""
    cluster = cluster_factory()
    [case_id] = submit_cases(cluster.client(), 1)
    celery = cluster.app.extensions["celery"]
    celery.control.purge()  # its first step's message: run here instead, as a worker would
    [first] = cluster.query(
        sa.select(Step.id).where(Step.case_id == case_id, Step.key == "change-of-address")
    )
    database = Path(cluster.env["DATABASE_URL"].removeprefix("sqlite:///"))
    before = sqlite3.connect(":memory:")
    with closing(sqlite3.connect(database)) as live:
        live.backup(before)  # the database as the crash will leave it
    with cluster.app.app_context():
        current = runtime.current()
        engine.run_step(
            current.store, current.adapters, first.id, current.retry, current.dispatcher
        )
        db.session.remove()
        dispose_engines()
    done = cluster.query(sa.select(Step.id).where(Step.case_id == case_id, Step.status == "done"))
    assert done == [(first.id,)]
    broker = redis.Redis.from_url(cluster.env["REDIS_URL"])
    assert broker.llen("agency.kommun") == 2  # the school steps after it, both municipalities'
    broker.close()
    with closing(sqlite3.connect(database)) as live:
        before.backup(live)  # the crash: that commit is lost
    before.close()
    assert cluster.query(sa.select(Step.status).where(Step.id == first.id)) == [("pending",)]
    cluster.start_worker("after-the-crash")
    cluster.start_beat()
    wait_for_all_finished(cluster, [case_id], timeout_s=120)
    ledger = cluster.app.extensions["ledger"].entries()
    times = {entry.step_id: entry.times_received for entry in ledger if entry.case_id == case_id}
    assert times.pop(first.id) == 2  # before the crash and again, under the same key
    assert times and set(times.values()) == {1}  # the steps after it once each,
    arrivals = _ledger_times(cluster, first.id)
    for step_id in times:  # and only after the first step reached its agency again
        assert _ledger_times(cluster, step_id)[0] > arrivals[1]


def _ledger_times(cluster: Cluster, step_id: str) -> tuple[Any, Any]:
    """When the agency first and last received a step."""
    from agencies.sandbox import submissions

    engine_ = cluster.app.extensions["ledger"].engine
    with engine_.connect() as connection:
        row = connection.execute(
            sa.select(submissions.c.first_received_at, submissions.c.last_received_at).where(
                submissions.c.step_id == step_id
            )
        ).one()
    return row.first_received_at, row.last_received_at

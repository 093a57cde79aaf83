"""A cluster each fault test owns: its Redis, database, sandbox, workers and beat."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from celery import current_app as current_celery
from flask import Flask
from flask.testing import FlaskClient

from contactpoint import create_app
from contactpoint.db.seed import prepare_database
from contactpoint.platform.celery_app import all_queues
from contactpoint.platform.embedded import (
    EmbeddedRedis,
    kill_tree,
    start_beat,
    start_worker,
    stop_process,
)
from tests.conftest import SUBMISSION_LIMIT, token_for, wait_until
from workflows import runtime

CASES = 50
FAST_RECOVERY = {
    "CONTACTPOINT_STEP_TIMEOUT_S": "4",
    "CONTACTPOINT_DISPATCH_TIMEOUT_S": "8",
    "CONTACTPOINT_RECOVERY_INTERVAL_S": "1",
    "CONTACTPOINT_RETRY_BASE_DELAY_S": "0.2",
    # After the quick retries, scheduled ones (sent by recovery) for a few seconds more.
    "CONTACTPOINT_RETRY_OUTAGE_EVERY_S": "1",
    "CONTACTPOINT_RETRY_OUTAGE_FOR_S": "3",
    "CONTACTPOINT_BREAKER_RESET_S": "1",  # an agency that failed 5 times in a row: left 1 s
}


@dataclass
class Cluster:
    """Processes and state of one fault test; `close` stops every process it started."""

    directory: Path
    redis: EmbeddedRedis
    env: dict[str, str]
    app: Flask
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    workers: dict[str, tuple[subprocess.Popen[bytes], int]] = field(default_factory=dict)

    def start_worker(self, name: str, concurrency: int = 2) -> subprocess.Popen[bytes]:
        """A worker on every queue; returns once it answers a ping."""
        process = start_worker(self.env, all_queues(), concurrency=concurrency, name=name)
        self.processes.append(process)
        self.workers[name] = (process, concurrency)
        celery = self.app.extensions["celery"]

        def answers() -> bool:
            assert process.poll() is None, "the worker process exited"
            replies = celery.control.ping(timeout=0.5) or []
            return any(name in host for reply in replies for host in reply)

        wait_until(answers, timeout_s=60, interval_s=0.2)
        return process

    def revive_workers(self) -> int:
        """Do what a process supervisor does: start again any worker that exited by itself."""
        revived = 0
        for name, (process, concurrency) in list(self.workers.items()):
            if process.poll() is not None:
                self.start_worker(name, concurrency)
                revived += 1
        return revived

    def start_beat(self) -> subprocess.Popen[bytes]:
        process = start_beat(self.env)
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        kill_tree(process)
        self.workers = {n: w for n, w in self.workers.items() if w[0] is not process}

    def restart_redis(self) -> None:
        self.redis = EmbeddedRedis(self.redis.directory, port=self.redis.port).start()

    def client(self) -> FlaskClient:
        return self.app.test_client()

    def query(self, statement: Any) -> list[Any]:
        from contactpoint.extensions import db

        with self.app.app_context():
            try:
                return list(db.session.execute(statement).all())
            finally:
                db.session.remove()

    def close(self) -> None:
        for process in reversed(self.processes):
            stop_process(process, timeout_s=10)
        self.redis.stop()
        from contactpoint.extensions import db, dispose_engines

        with self.app.app_context():
            db.session.remove()
            dispose_engines()


@pytest.fixture()
def cluster_factory(tmp_path: Path) -> Iterator[Any]:
    """Build a cluster with the agencies' chaos knobs; everything is stopped afterwards."""
    clusters: list[Cluster] = []
    previous_runtime = runtime._current
    previous_celery = current_celery._get_current_object()

    def build(**knobs: str) -> Cluster:
        redis_server = EmbeddedRedis(tmp_path / "redis", persist=True).start()
        env = {k: v for k, v in os.environ.items() if not k.startswith("CONTACTPOINT_")}
        env.update(
            {
                "DATABASE_URL": f"sqlite:///{tmp_path / 'contactpoint.db'}",
                "REDIS_URL": redis_server.url,
                "CONTACTPOINT_SANDBOX_URL": f"sqlite:///{tmp_path / 'sandbox.db'}",
                "CONTACTPOINT_INSTANCE_PATH": str(tmp_path),
                "CONTACTPOINT_AGENCY_LATENCY_MS": "50",
                "CONTACTPOINT_SUBMISSION_LIMIT": SUBMISSION_LIMIT,
                "SECRET_KEY": "fault-test-secret",
                **FAST_RECOVERY,
                **knobs,
            }
        )
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": env["SECRET_KEY"],
                "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
                "REDIS_URL": env["REDIS_URL"],
                "SANDBOX_DATABASE_URL": env["CONTACTPOINT_SANDBOX_URL"],
                "SUBMISSION_LIMIT": SUBMISSION_LIMIT,
            }
        )
        with app.app_context():
            prepare_database()
        cluster = Cluster(tmp_path, redis_server, env, app)
        clusters.append(cluster)
        return cluster

    yield build
    for cluster in clusters:
        cluster.close()
    runtime._current = previous_runtime
    previous_celery.set_default()


def submit_cases(client: FlaskClient, count: int, manual_step: bool = False) -> list[str]:
    """Submit `count` moving cases as Anna through the API; their ids.

    With `manual_step`, each case has a step that waits for a case officer.
    """
    headers = token_for(client)
    answers = client.get("/api/v1/life-events/moving").json["example_answers"]
    answers = {**answers, "housing_allowance": manual_step}
    body = {"life_event": "moving", "answers": answers, "consent": True}
    ids = []
    for _ in range(count):
        response = client.post("/api/v1/cases", json=body, headers=headers)
        assert response.status_code == 201, response.json
        ids.append(response.json["id"])
    return ids


def signed_callback(cluster: Cluster, agency: str, body: dict[str, Any]) -> Any:
    """POST a callback signed with the agency's secret, as the agency's system would."""
    from contactpoint.api.signatures import SIGNATURE_HEADER, callback_secret, signature

    raw = json.dumps(body).encode()
    with cluster.app.app_context():
        secret = callback_secret(agency)
    assert secret is not None
    header = signature(secret, raw, int(time.time()))
    return cluster.client().post(
        f"/api/v1/callbacks/{agency}",
        data=raw,
        headers={SIGNATURE_HEADER: header, "Content-Type": "application/json"},
    )


def approve_waiting_steps(cluster: Cluster, case_ids: list[str]) -> None:
    """Act as the agencies: approve, by signed callback, each step waiting for a person."""
    from contactpoint.db.models import Step

    waiting = cluster.query(
        sa.select(Step.id, Step.agency).where(
            Step.case_id.in_(case_ids), Step.status == "waiting", Step.ball == "agency"
        )
    )
    for step_id, agency in waiting:
        body = {"id": f"approve-{step_id}", "step_id": step_id, "decision": "approve"}
        response = signed_callback(cluster, agency, body)
        assert response.status_code in (200, 409), response.json


def all_finished(cluster: Cluster, case_ids: list[str]) -> bool:
    """Every case has ended; steps waiting for a case officer are approved on the way."""
    from contactpoint.db.models import Case

    approve_waiting_steps(cluster, case_ids)
    rows = cluster.query(sa.select(Case.status).where(Case.id.in_(case_ids)))
    return len(rows) == len(case_ids) and all(
        row.status in ("done", "done_with_problems") for row in rows
    )


def wait_for_all_finished(cluster: Cluster, case_ids: list[str], timeout_s: float) -> None:
    """Wait until every case has ended; on timeout, say where the open ones stand."""
    from contactpoint.db.models import Case, Step

    try:
        wait_until(lambda: all_finished(cluster, case_ids), timeout_s=timeout_s, interval_s=0.5)
    except AssertionError as timeout:
        open_steps = cluster.query(
            sa.select(Step.key, Step.status, Step.ball, Step.dispatched_at, Step.attempts)
            .join(Case, Case.id == Step.case_id)
            .where(Case.id.in_(case_ids), Case.status.notin_(("done", "done_with_problems")))
        )
        message = f"cases still open after {timeout_s}s; their steps: {open_steps}"
        raise AssertionError(message) from timeout


def assert_every_step_ended_once(cluster: Cluster, case_ids: list[str]) -> dict[str, int]:
    """Every step done or ended with a reason; each done once, and held once by its agency."""
    from contactpoint.db.models import CaseEvent, Step

    steps = cluster.query(sa.select(Step).where(Step.case_id.in_(case_ids)))
    events = cluster.query(
        sa.select(CaseEvent.kind, CaseEvent.step_id).where(CaseEvent.case_id.in_(case_ids))
    )
    ledger = cluster.app.extensions["ledger"].entries()
    held: dict[str, list[Any]] = {}
    for entry in ledger:
        held.setdefault(entry.step_id, []).append(entry)
    counts: dict[str, int] = {}
    for kind, _step_id in events:
        counts[kind] = counts.get(kind, 0) + 1
    done_events: dict[str, int] = {}
    for kind, step_id in events:
        if kind in ("step_done", "step_approved"):
            done_events[step_id] = done_events.get(step_id, 0) + 1
    for (step,) in steps:
        assert step.status in ("done", "not_needed", "failed", "cancelled"), step.status
        if step.status in ("failed", "cancelled"):
            assert step.status_reason or step.reason_code, f"step {step.id} ended with no reason"
        if step.status == "done":
            assert done_events.get(step.id) == 1, f"step {step.id} was done twice"
            assert len(held.get(step.id, [])) == 1, f"step {step.id} is not held once"
            assert held[step.id][0].reference == step.agency_reference
        assert len(held.get(step.id, [])) <= 1
    return counts

"""A database, Redis database and worker of the statistics tests' own: the roll-up releases a
month once, so the cases it counts must be only the ones these tests sent."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from agencies import clock
from contactpoint.platform.celery_app import all_queues
from contactpoint.platform.embedded import EmbeddedRedis, start_worker, stop_process
from tests.conftest import (
    SECRET_KEY,
    SUBMISSION_LIMIT,
    example,
    postgres_database,
    prepared_app,
    redis_database,
    token_for,
    wait_until,
)
from workflows import runtime
from workflows.statistics import SETTLE, month_bounds
from workflows.statistics.tasks import roll_up_statistics

REDIS_DATABASES = {"sqlite": 9, "postgresql": 10}


@dataclass
class StatisticsCluster:
    """The app on its own database, and a real worker for it."""

    app: Flask
    worker: subprocess.Popen[bytes]
    env: dict[str, str]

    def client(self) -> FlaskClient:
        return self.app.test_client()

    def replace_worker(self, name: str, **knobs: str) -> None:
        """Stop the worker (warm shutdown) and start another, with the simulated agencies'
        knobs `knobs` beside the cluster's environment; returns once it answers a ping."""
        stop_process(self.worker)
        self.worker = start_worker(self.env | knobs, all_queues(), concurrency=2, name=name)
        celery = self.app.extensions["celery"]

        def answers() -> bool:
            assert self.worker.poll() is None, "the worker process exited"
            replies = celery.control.ping(timeout=0.5) or []
            return any(name in host for reply in replies for host in reply)

        wait_until(answers, timeout_s=60)


def roll_up_after(month: str, monkeypatch: pytest.MonkeyPatch, app: Flask) -> list[str]:
    """Move the one clock past the month's end and settling, and run the beat's task."""
    later = month_bounds(month)[1] + SETTLE + dt.timedelta(minutes=1)
    with monkeypatch.context() as moved, app.app_context():
        moved.setattr(clock, "now", lambda: later)
        return list(roll_up_statistics())


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def cluster(
    request: pytest.FixtureRequest,
    redis_server: EmbeddedRedis,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[StatisticsCluster]:
    """The app on a database of this module's own (SQLite or PostgreSQL) with a worker."""
    previous = runtime._current
    directory = tmp_path_factory.mktemp(f"statistics-{request.param}")
    with ExitStack() as stack:
        if request.param == "sqlite":
            database = f"sqlite:///{directory / 'contactpoint.db'}"
        else:
            database = stack.enter_context(postgres_database("contactpoint_statistics"))
        redis_url = stack.enter_context(
            redis_database(redis_server, REDIS_DATABASES[request.param])
        )
        sandbox = f"sqlite:///{directory / 'sandbox.db'}"
        app = stack.enter_context(prepared_app(database, redis_url, sandbox))
        env = {k: v for k, v in os.environ.items() if not k.startswith("CONTACTPOINT_")}
        env |= {
            "DATABASE_URL": database,
            "REDIS_URL": redis_url,
            "CONTACTPOINT_SANDBOX_URL": sandbox,
            "CONTACTPOINT_INSTANCE_PATH": str(directory),
            "CONTACTPOINT_SUBMISSION_LIMIT": SUBMISSION_LIMIT,
            "SECRET_KEY": SECRET_KEY,
        }
        worker = start_worker(env, all_queues(), concurrency=2, name="statistics")
        cluster = StatisticsCluster(app, worker, env)
        stack.callback(lambda: stop_process(cluster.worker))  # whichever runs at the end
        celery = app.extensions["celery"]

        def alive() -> bool:
            assert worker.poll() is None, "the worker process exited"
            return bool(celery.control.ping(timeout=0.5))

        wait_until(alive, timeout_s=60)
        yield cluster
    runtime._current = previous


def submit(client: FlaskClient, event: str, count: int) -> list[tuple[str, dict[str, str]]]:
    """`count` cases of `event` from its example person, with its example answers."""
    described = client.get(f"/api/v1/life-events/{event}").json
    headers = token_for(client, described["example_person"])
    body = {"life_event": event, "answers": example(client, event), "consent": True}
    sent = []
    for _ in range(count):
        response = client.post("/api/v1/cases", json=body, headers=headers)
        assert response.status_code == 201, response.json
        sent.append((response.json["id"], headers))
    return sent


def finished(client: FlaskClient, case_id: str, headers: dict[str, str]) -> dict[str, Any] | None:
    """The case once it is over, else None; a step waiting for its agency is approved."""
    case = client.get(f"/api/v1/cases/{case_id}", headers=headers).json
    for step in case["steps"]:  # a step a person decides: the agency's system approves it
        if (step["status"], step["ball"]) == ("waiting", "agency"):
            token = client.post("/api/v1/dev/agency/token", json={"agency": step["agency"]}).json
            client.post(
                f"/api/v1/agencies/{step['agency']}/steps/{step['id']}/decision",
                json={"decision": "approve"},
                headers={"Authorization": f"Bearer {token['access_token']}"},
            )
    return case if case["status"] in ("done", "done_with_problems") else None

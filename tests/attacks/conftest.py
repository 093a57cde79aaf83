"""What the attacks run against: an app of their own per backend, its worker and a few cases."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
from celery import current_app as current_celery
from flask import Flask
from flask.testing import FlaskClient

from contactpoint.platform.celery_app import all_queues
from contactpoint.platform.embedded import EmbeddedRedis, start_worker, stop_process
from tests.conftest import (
    BACKENDS,
    SECRET_KEY,
    SUBMISSION_LIMIT,
    example,
    postgres_database,
    prepared_app,
    redis_database,
    token_for,
    wait_until,
)
from workflows import AGENCIES, runtime

# Redis databases of the attacks' own on the suite's server, one per backend.
FUZZ_REDIS_DB = {"sqlite": 3, "postgresql": 4}


@pytest.fixture(autouse=True)
def _schemathesis_node_id(request: pytest.FixtureRequest) -> None:
    """Schemathesis's pytest integration (4.x) reads and renames a test's `_nodeid`, which
    pytest 9.2 no longer has (its `nodeid` reads `_id`). Give it one to read; drop this once
    schemathesis reads `nodeid`."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


@dataclass
class Target:
    """An app under attack, and the bearer tokens of who calls it."""

    app: Flask
    citizen: str
    agencies: dict[str, str]


def bearer(client: FlaskClient, path: str, body: dict[str, str]) -> str:
    response = client.post(path, json=body)
    assert response.status_code == 200, response.json
    return str(response.json["access_token"])


@pytest.fixture(scope="module", params=BACKENDS)
def target(
    request: pytest.FixtureRequest,
    redis_server: EmbeddedRedis,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Target]:
    """An app on a database of its own (SQLite or PostgreSQL) with its worker, so that what
    the attacks create stays out of the other tests' way; Anna's cases give it steps to find,
    one of them waiting for Försäkringskassan."""
    directory = tmp_path_factory.mktemp(f"attack-{request.param}")
    with ExitStack() as stack:
        stack.callback(restore_current_app())
        if request.param == "sqlite":
            database = f"sqlite:///{directory / 'contactpoint.db'}"
        else:
            database = stack.enter_context(postgres_database("contactpoint_attack"))
        redis_url = stack.enter_context(redis_database(redis_server, FUZZ_REDIS_DB[request.param]))
        sandbox = f"sqlite:///{directory / 'sandbox.db'}"
        app = stack.enter_context(prepared_app(database, redis_url, sandbox))
        env = worker_env(database, redis_url, sandbox, directory)
        worker = start_worker(env, all_queues(), concurrency=1, name=f"attack-{request.param}")
        stack.callback(stop_process, worker)
        wait_for_worker(app, worker)
        client = app.test_client()
        citizen = token_for(client)
        submit_examples(client, citizen)
        agencies = {
            agency: bearer(client, "/api/v1/dev/agency/token", {"agency": agency})
            for agency in AGENCIES
        }
        yield Target(app, citizen["Authorization"].split()[1], agencies)


def restore_current_app() -> Callable[[], None]:
    """What puts back the workflow runtime and Celery app of the suite's own app, which
    building another app replaces."""
    previous_runtime = runtime._current
    previous_celery = current_celery._get_current_object()

    def restore() -> None:
        runtime._current = previous_runtime
        previous_celery.set_default()

    return restore


def worker_env(database: str, redis_url: str, sandbox: str, directory: Path) -> dict[str, str]:
    """The environment of a worker on this database and Redis."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTACTPOINT_")}
    env.update(
        {
            "DATABASE_URL": database,
            "REDIS_URL": redis_url,
            "CONTACTPOINT_SANDBOX_URL": sandbox,
            "CONTACTPOINT_INSTANCE_PATH": str(directory),
            "CONTACTPOINT_AGENCY_LATENCY_MS": "0",
            "CONTACTPOINT_SUBMISSION_LIMIT": SUBMISSION_LIMIT,
            "SECRET_KEY": SECRET_KEY,
        }
    )
    return env


def wait_for_worker(app: Flask, worker: subprocess.Popen[bytes]) -> None:
    celery = app.extensions["celery"]

    def answers() -> bool:
        assert worker.poll() is None, "the worker process exited"
        return bool(celery.control.ping(timeout=0.5))

    wait_until(answers, timeout_s=60)


def submit_examples(client: FlaskClient, headers: dict[str, str]) -> None:
    """Two moving cases as Anna, one with a step that waits for Försäkringskassan."""
    for allowance in (False, True):
        answers = {**example(client), "housing_allowance": allowance}
        body = {"life_event": "moving", "answers": answers, "consent": True}
        response = client.post("/api/v1/cases", json=body, headers=headers)
        assert response.status_code == 201, response.json

"""A database, Redis database and worker of the statistics tests' own: the roll-up releases a
month once, so the cases it counts must be only the ones these tests sent."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from contactpoint.platform.celery_app import all_queues
from contactpoint.platform.embedded import EmbeddedRedis, start_worker, stop_process
from tests.conftest import (
    SECRET_KEY,
    SUBMISSION_LIMIT,
    postgres_database,
    prepared_app,
    redis_database,
    wait_until,
)
from workflows import runtime

REDIS_DATABASES = {"sqlite": 9, "postgresql": 10}


@dataclass
class StatisticsCluster:
    """The app on its own database, and a real worker for it."""

    app: Flask
    worker: subprocess.Popen[bytes]

    def client(self) -> FlaskClient:
        return self.app.test_client()


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
        stack.callback(stop_process, worker)
        celery = app.extensions["celery"]

        def alive() -> bool:
            assert worker.poll() is None, "the worker process exited"
            return bool(celery.control.ping(timeout=0.5))

        wait_until(alive, timeout_s=60)
        yield StatisticsCluster(app, worker)
    runtime._current = previous

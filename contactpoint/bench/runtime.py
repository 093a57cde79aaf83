"""What the benchmark runs on: Redis, a database, worker processes, web servers; all stopped."""

from __future__ import annotations

import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import redis
from celery import Celery
from flask import Flask

from contactpoint import create_app
from contactpoint.db.seed import prepare_database
from contactpoint.extensions import db, dispose_engines
from contactpoint.platform.embedded import EmbeddedRedis, free_port, stop_process

SECRET = "benchmark-only-not-secret"
# The settings of the caller's environment that the processes it starts keep: how the
# workers commit is the operator's choice, and part of what is measured.
PASSED_ON = ("CONTACTPOINT_WORKER_SYNCHRONOUS_COMMIT",)


class BenchError(RuntimeError):
    """The benchmark cannot go on: a phase timed out or its requests failed."""


def wait_for(
    condition: Any,
    timeout_s: float,
    what: str,
    interval_s: float = 0.05,
    failure: type[Exception] = BenchError,
) -> Any:
    """Poll `condition` until it is truthy and return its value; raise `failure` naming
    `what` when the deadline passes (the tests' `wait_until` raises AssertionError)."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise failure(f"timed out after {timeout_s:.0f}s waiting for {what}")
        time.sleep(interval_s)


class BenchRuntime:
    """A private directory, Redis (embedded unless REDIS_URL) and a database (SQLite unless
    DATABASE_URL); `close()` stops every process this object started."""

    def __init__(self) -> None:
        self._stack = ExitStack()
        self.directory = Path(tempfile.mkdtemp(prefix="contactpoint-bench-"))
        self.embedded_redis: EmbeddedRedis | None = None
        self.redis_url = os.environ.get("REDIS_URL") or ""
        if not self.redis_url:
            self.embedded_redis = EmbeddedRedis(self.directory / "redis", persist=False).start()
            self._stack.callback(self.embedded_redis.stop)
            self.redis_url = self.embedded_redis.url
        self.database_url = os.environ.get("DATABASE_URL") or (
            f"sqlite:///{self.directory / 'contactpoint.db'}"
        )
        self.sandbox_url = f"sqlite:///{self.directory / 'sandbox.db'}"
        self._app: Flask | None = None

    def close(self) -> None:
        """Stop everything started, remove the bench's own queues, dispose connections."""
        if self._app is not None:
            with self._app.app_context():
                db.session.remove()
                dispose_engines()
        self._stack.close()
        shutil.rmtree(self.directory, ignore_errors=True)

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of the processes the benchmark starts."""
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("CONTACTPOINT_") or k in PASSED_ON
        }
        env.update(
            {
                "CONTACTPOINT_ENV": "development",
                "DATABASE_URL": self.database_url,
                "REDIS_URL": self.redis_url,
                "CONTACTPOINT_SANDBOX_URL": self.sandbox_url,
                "CONTACTPOINT_INSTANCE_PATH": str(self.directory),
                "CONTACTPOINT_AGENCY_LATENCY_MS": "0",
                "CONTACTPOINT_REGISTER_LATENCY_MS": "0",
                "SECRET_KEY": SECRET,
                "CONTACTPOINT_LOG_LEVEL": "WARNING",
            }
        )
        env.update(extra)
        return env

    def app(self) -> Flask:
        """The app in this process, migrated and seeded, with zero-latency agencies and
        registers: the benchmark measures the orchestration, not simulated waiting."""
        if self._app is None:
            app = create_app(
                {
                    "SECRET_KEY": SECRET,
                    "SQLALCHEMY_DATABASE_URI": self.database_url,
                    "REDIS_URL": self.redis_url,
                    "SANDBOX_DATABASE_URL": self.sandbox_url,
                    "AGENCY_LATENCY_MS": 0.0,
                    "REGISTER_LATENCY_MS": 0.0,
                }
            )
            with app.app_context():
                prepare_database()
            self._app = app
        return self._app

    def redis(self) -> redis.Redis:
        """A client of the benchmark's Redis."""
        return redis.Redis.from_url(self.redis_url)

    @contextmanager
    def process(self, command: list[str], env: dict[str, str], name: str) -> Iterator[int]:
        """Run a child process for the duration of the block; yield its pid."""
        log = open(self.directory / f"{name}.log", "ab")  # noqa: SIM115 - closed below
        child = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield child.pid
        finally:
            stop_process(child)
            log.close()

    @contextmanager
    def celery_worker(self, module: str, queues: list[str], concurrency: int) -> Iterator[int]:
        """A Celery worker of `module` consuming `queues`; ready when it answers a ping."""
        command = [
            sys.executable, "-m", "celery", "-A", module, "worker",
            "-Q", ",".join(queues), "--concurrency", str(concurrency),
            "--hostname", f"bench-{module}-{os.getpid()}-{concurrency}@%h",
            "--loglevel", "WARNING", "--without-mingle", "--without-gossip",
        ]  # fmt: skip
        with self.process(command, self.env(), f"worker-{module}") as pid:
            probe = Celery(broker=self.redis_url, set_as_current=False)
            name = f"bench-{module}-{os.getpid()}-{concurrency}@"
            wait_for(
                lambda: any(name in k for r in probe.control.ping(timeout=0.5) for k in r),
                60,
                f"the {module} worker to start",
            )
            probe.close()
            try:
                yield pid
            except Exception:  # say what the worker said: its log goes with the directory
                log = (self.directory / f"worker-{module}.log").read_text(errors="replace")
                sys.stderr.write(f"--- the worker's log, its end ---\n{log[-6000:]}\n")
                raise

    @contextmanager
    def web(self, wsgi: str, workers: int, env: dict[str, str] | None = None) -> Iterator[int]:
        """Serve `wsgi` with gunicorn on a free port of 127.0.0.1; yield the port."""
        port = free_port()
        command = [
            sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
            "--log-level", "warning", "--backlog", "512", wsgi,
        ]  # fmt: skip
        with self.process(command, env or self.env(), "web"):

            def answers() -> bool:
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                    conn.request("GET", "/livez")
                    ok = conn.getresponse().status == 200
                    conn.close()
                    return ok
                except OSError:
                    return False

            wait_for(answers, 60, f"gunicorn serving {wsgi}", interval_s=0.2)
            yield port


TICKS_PER_S = os.sysconf("SC_CLK_TCK")


def _cpu_s(pid: int | str) -> float:
    """CPU seconds (user and system) process `pid` has used so far; 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS_PER_S  # utime, stime


def process_tree_cpu_s(pid: int) -> float:
    """CPU seconds used so far by `pid` and its living descendants (a Celery worker and its
    pool's children)."""
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        total += _cpu_s(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        pending.extend(int(child) for child in children)
    return total


def named_processes_cpu_s(name: str) -> float | None:
    """CPU seconds used so far by every process of this machine named `name` (a server the
    benchmark shares the machine with: `postgres`, `redis-server`); None if there is none."""
    found = None
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "comm").read_text().strip()
        except OSError:
            continue
        if command == name:
            found = (found or 0.0) + _cpu_s(entry.name)
    return found


def process_tree_peak_rss_mb(pid: int) -> float | None:
    """The largest peak resident set (VmHWM) among `pid` and its descendants, in MiB."""
    peaks: list[float] = []
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
        pending.extend(int(child) for child in children)
    return round(max(peaks), 1) if peaks else None

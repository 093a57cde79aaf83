"""The `contactpoint` command (and a worker) says in one line what is wrong with its settings
or where it cannot reach, never with a traceback, and never shows a password."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from contactpoint.cli import main
from contactpoint.platform.embedded import free_port


def _run(*args: str, **env: str) -> tuple[int, str]:
    done = CliRunner().invoke(main, list(args), env=env)
    return done.exit_code, done.output


@pytest.mark.parametrize("command", [["seed"], ["retry-failed", "--dry-run"], ["bench"]])
def test_a_database_out_of_reach_is_named_without_its_password(command: list[str]) -> None:
    url = f"postgresql://kontakt:hemligt@127.0.0.1:{free_port()}/contactpoint"
    code, output = _run(*command, DATABASE_URL=url)
    assert code == 1, output
    assert output.startswith("Error: The database at postgresql://kontakt:***@127.0.0.1")
    assert "could not be used: connection failed" in output
    assert "hemligt" not in output and "Traceback" not in output


def test_a_bad_setting_is_named() -> None:
    code, output = _run("seed", CONTACTPOINT_BREAKER_FAILURES="many")
    assert code == 1
    assert output.strip() == (
        "Error: CONTACTPOINT_BREAKER_FAILURES must be a whole number, 0 or more (it is 'many')"
    )
    code, output = _run("seed", DATABASE_URL="mysql://app@db/contactpoint")
    assert code == 1 and "DATABASE_URL must be a PostgreSQL or SQLite URL" in output


@pytest.mark.parametrize(
    ("option", "value"),
    [("--cases", "0"), ("--workers", "0"), ("--repeat", "0"), ("--threads", "0")],
)
def test_the_benchmark_refuses_sizes_it_cannot_measure(option: str, value: str) -> None:
    code, output = _run("bench", option, value)
    assert code == 2
    assert f"Invalid value for '{option}': {value} is not in the range" in output


def test_a_worker_with_a_bad_setting_says_so_in_one_line() -> None:
    env = {**os.environ, "DATABASE_URL": "nonsense"}
    done = subprocess.run(
        [sys.executable, "-m", "celery", "-A", "worker", "worker"],
        env=env, capture_output=True, timeout=60, cwd=Path(__file__).parents[2],
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.decode().strip() == (
        "Error: DATABASE_URL must be a PostgreSQL or SQLite URL"
        " (postgresql://user@host:5432/name or sqlite:////path/to/file.db)"
    )


def test_a_web_server_with_a_bad_setting_says_so_in_one_line() -> None:
    env = {**os.environ, "DATABASE_URL": "nonsense"}
    config = "python:contactpoint.gunicorn_conf"
    done = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", config, "-b", f"127.0.0.1:{free_port()}",
         "contactpoint:create_app()"],
        env=env, capture_output=True, timeout=60, cwd=Path(__file__).parents[2],
    )  # fmt: skip
    assert done.returncode == 1
    errors = done.stderr.decode()
    assert "Error: DATABASE_URL must be a PostgreSQL or SQLite URL" in errors
    assert "Traceback" not in errors and "Worker failed to boot" not in errors

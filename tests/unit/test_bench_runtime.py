"""What the benchmark's processes inherit from the caller's environment."""

from __future__ import annotations

import pytest

from contactpoint.bench.runtime import BenchRuntime


def test_the_workers_commit_as_the_operator_set_and_take_no_other_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/12")  # nothing to start
    monkeypatch.setenv("CONTACTPOINT_WORKER_SYNCHRONOUS_COMMIT", "on")
    monkeypatch.setenv("CONTACTPOINT_AGENCY_FAILURE_RATE", "0.5")
    runtime = BenchRuntime()
    try:
        env = runtime.env()
    finally:
        runtime.close()
    assert env["CONTACTPOINT_WORKER_SYNCHRONOUS_COMMIT"] == "on"  # measured as it will run
    assert env["CONTACTPOINT_AGENCY_LATENCY_MS"] == "0"  # the benchmark's own agencies,
    assert "CONTACTPOINT_AGENCY_FAILURE_RATE" not in env  # without the caller's faults

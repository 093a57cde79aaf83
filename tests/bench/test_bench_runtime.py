"""What the benchmark's processes inherit from the caller: its environment, its CPUs."""

from __future__ import annotations

import os

import pytest

from contactpoint.bench.command import usable_cpus
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


@pytest.mark.skipif(
    not hasattr(os, "sched_setaffinity") or len(os.sched_getaffinity(0)) < 2,
    reason="needs two CPUs and CPU affinity",
)
def test_the_benchmark_counts_the_cpus_it_may_run_on_not_the_machines() -> None:
    allowed = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(allowed)})  # as under `taskset -c`
    try:
        assert usable_cpus() == 1
    finally:
        os.sched_setaffinity(0, allowed)
    assert usable_cpus() == len(allowed)

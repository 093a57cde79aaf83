"""`contactpoint bench` runs every phase end to end on a tiny load and reports its figures."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import wait_until

KEYS = [
    "ceiling_cases_per_s", "cases_per_s", "throughput_ratio", "ceiling_latency_p50_s",
    "latency_p50_s", "latency_p95_s", "latency_ratio", "read_p99_s", "trivial_p99_s",
    "read_ratio", "queries_per_status_read", "submit_ratio", "scale_factor_2_workers",
    "worker_rss_mb", "versions", "settings", "latency_until_first_step_ms", "latency_in_steps_ms",
    "latency_between_steps_ms", "proactive_people_per_s", "proactive_ratio",
    "proactive_rss_growth_mb", "mypages_ratio", "mypages_uncached_ratio",
    "read_uncached_ratio",
]  # fmt: skip


@pytest.mark.slow
def test_the_benchmark_runs_every_phase_and_reports_every_figure(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("REDIS_URL", "DATABASE_URL") and not k.startswith("CONTACTPOINT_")
    }
    command = [
        str(Path(sys.executable).parent / "contactpoint"), "bench", "--cases", "8",
        "--read-cases", "300", "--duration", "0.5", "--threads", "2", "--json", "--quiet",
        "--population", "2000",
    ]  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    result = json.loads(done.stdout)
    for key in KEYS:
        assert key in result, key
    assert result["cases_per_s"] > 0 and result["ceiling_cases_per_s"] > 0
    assert result["queries_constant"] is True
    assert result["settings"]["database"] == "sqlite"
    assert result["settings"]["worker_synchronous_commit"] is None  # PostgreSQL's setting
    assert result["settings"]["redis"] == "embedded"
    assert result["worker_rss_mb"] > 0
    # CPU per case, by part: both sides' workers, the embedded Redis, this machine only
    assert result["worker_cpu_ms_per_case"] > 0 and result["ceiling_worker_cpu_ms_per_case"] > 0
    assert result["redis_cpu_ms_per_case"] >= 0 and result["submitter_cpu_ms_per_case"] > 0
    assert "database_cpu_ms_per_case" not in result  # SQLite runs inside the processes
    assert result["cpu_ms_per_case"] >= result["worker_cpu_ms_per_case"]
    assert result["cpu_ratio"] > 0
    assert result["settings"]["throughput_pairs"] >= 2  # the ceiling and ours in turns
    assert result["settings"]["scale_pairs"] >= 2  # one worker and two in turns
    assert result["settings"]["cpus"] == len(os.sched_getaffinity(0))  # what it ran on
    assert result["settings"]["machine_cpus"] == os.cpu_count()
    assert result["scale_factor_2_workers"] > 0
    # the proactive pass over a small register: a first pass reminds everyone due, the next
    # day's only those new in the window
    assert result["proactive_population"] == 2000 and result["proactive_first_reminded"] > 0
    assert result["proactive_reminded"] < result["proactive_first_reminded"]
    # where the latency goes along each case's critical path: every part takes time, and as
    # each case's parts add up to its latency, no part's p50 is above the latency's p50
    for part in ("until_first_step", "in_steps", "between_steps"):
        assert 0 < result[f"latency_{part}_ms"] <= result["latency_p50_s"] * 1000 + 0.1, part


def _descendants(pid: int) -> set[int]:
    """The processes started by `pid`, and theirs, read from /proc."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _running(pid: int) -> bool:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return False


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_benchmark_stopped_midway_stops_everything_it_started(
    tmp_path: Path, stop: signal.Signals
) -> None:
    command = [
        str(Path(sys.executable).parent / "contactpoint"), "bench", "--cases", "200",
        "--only", "throughput", "--quiet",
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    bench = subprocess.Popen(command, env=env, cwd=tmp_path, stderr=subprocess.DEVNULL)
    try:

        def under_way() -> set[int] | None:  # the embedded Redis and a pool of workers at least
            found = _descendants(bench.pid)
            return found if len(found) >= 4 else None

        started = wait_until(under_way, timeout_s=120)
        bench.send_signal(stop)
        assert bench.wait(timeout=60) != 0
        wait_until(lambda: not any(_running(pid) for pid in started), timeout_s=30)
    finally:
        if bench.poll() is None:
            bench.kill()

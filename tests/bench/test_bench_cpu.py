"""The benchmark's CPU per case: read from /proc for a process tree and for named servers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from itertools import count

from contactpoint.bench.runtime import _cpu_s, named_processes_cpu_s, process_tree_cpu_s
from contactpoint.bench.throughput import _cpu_figures, metered
from tests.conftest import wait_until

BURN = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass\n"
CHILD = BURN + "time.sleep(60)\n"
PARENT = f"import subprocess, sys, time\nsubprocess.Popen([sys.executable, '-c', {CHILD!r}])\n"


def test_a_process_tree_counts_the_cpu_of_its_living_children() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT + "time.sleep(60)\n"], start_new_session=True
    )
    try:
        used = wait_until(lambda: (cpu := process_tree_cpu_s(parent.pid)) >= 0.3 and cpu, 30)
        assert used >= 0.3 > _cpu_s(parent.pid)  # the child's burn, not the sleeping parent's
    finally:
        os.killpg(parent.pid, signal.SIGKILL)  # the parent and its child
        parent.wait()


def test_a_server_that_is_not_running_has_no_figure() -> None:
    assert named_processes_cpu_s("no-such-server") is None
    assert process_tree_cpu_s(2**22 + 17) == 0.0  # a pid that is gone counts nothing


def test_a_metered_run_gives_each_parts_cpu_per_case_in_milliseconds() -> None:
    ticks = count()
    run = metered(
        lambda: {"cases_per_s": 10.0},
        {"worker": lambda: next(ticks) * 2.0, "database": lambda: None},
        count=4,
    )
    assert run() == {"cases_per_s": 10.0, "worker_cpu_ms_per_case": 500.0}


def test_the_figures_are_medians_by_part_with_totals_and_the_ratio_of_totals() -> None:
    def side(worker: float, redis: float) -> dict[str, float]:
        return {
            "cases_per_s": 1.0,
            "worker_cpu_ms_per_case": worker,
            "redis_cpu_ms_per_case": redis,
        }

    saturated = [(side(4, 1), side(8, 2)), (side(5, 1), side(12, 3)), (side(3, 1), side(6, 2))]
    figures = _cpu_figures(saturated)
    assert figures["ceiling_worker_cpu_ms_per_case"] == 4
    assert figures["worker_cpu_ms_per_case"] == 8
    assert figures["ceiling_cpu_ms_per_case"] == 5 and figures["cpu_ms_per_case"] == 10
    assert figures["cpu_ratio"] == 2.0  # the pairs' ratios: 2, 2.5, 2

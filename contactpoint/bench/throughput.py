"""Phases 1 and 2 side by side: the ceiling and ours, measured in turns, each turn a pair.

This machine's speed drifts by half within minutes, which a ceiling measured once, before
ours, would carry into the ratio. Both sets of worker processes run throughout (the idle set
only waits on its queue), and saturation runs alternate, ceiling then ours, then ours then
ceiling (so that a drift in one direction favours neither); each pair gives a ratio, and the
run reports their median. The light-load latency runs alternate the same way.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from .ceiling import LIGHT_LOAD, ceiling_workers, light_count, run_ceiling
from .ours import our_workers, run_cases
from .profile import profiled
from .runtime import BenchRuntime, process_tree_peak_rss_mb

TURNS = 3  # saturation pairs per run
LIGHT_TURNS = 2  # light-load pairs per run

Run = Callable[[], dict[str, float]]


def _pair(turn: int, ceiling: Run, ours: Run) -> tuple[dict[str, float], dict[str, float]]:
    """One run of each, the ceiling first in even turns and ours first in odd ones."""
    if turn % 2 == 0:
        first = ceiling()
        return first, ours()
    second = ours()
    return ceiling(), second


def _median(values: Any, digits: int = 4) -> float:
    return round(statistics.median(values), digits)


def measure_throughput(
    runtime: BenchRuntime,
    cases: int,
    workers: int,
    width: int,
    show: bool,
    profile: Path | None = None,
) -> dict[str, Any]:
    """Cases per second at saturation and latency at a fifth of it, the ceiling's and ours,
    with their ratios; and the peak memory of one of our worker processes."""
    app = runtime.app()

    def ceiling(count: int, rate: float | None, label: str) -> Run:
        return lambda: run_ceiling(runtime, count, width, rate, f"ceiling: {label}", show)

    def ours(count: int, rate: float | None, label: str) -> Run:
        return lambda: run_cases(app, count, rate, f"ours: submit ({label})", show)

    with ceiling_workers(runtime, workers, width), our_workers(runtime, workers) as pid:
        saturated = []
        runs = ceiling(cases, None, "saturation"), ours(cases, None, "saturation")
        for turn in range(TURNS):  # the first pair profiled: the ceiling's run idles ours
            with profiled(pid, profile) if profile and turn == 0 else nullcontext():
                saturated.append(_pair(turn, *runs))
        sides = zip(*saturated, strict=True)
        rates = [_median(run["cases_per_s"] for run in side) for side in sides]
        light = []
        for turn in range(LIGHT_TURNS):
            paced = [rate * LIGHT_LOAD for rate in rates]
            counts = [light_count(cases, rate) for rate in paced]
            c = ceiling(counts[0], paced[0], "light load")
            o = ours(counts[1], paced[1], "light load")
            light.append(_pair(turn, c, o))
        rss = process_tree_peak_rss_mb(pid)
    ceiling_light, our_light = zip(*light, strict=True)
    return {
        "ceiling_cases_per_s": rates[0],
        "ceiling_latency_p50_s": _median(run["p50_s"] for run in ceiling_light),
        "ceiling_latency_p95_s": _median(run["p95_s"] for run in ceiling_light),
        "cases_per_s": rates[1],
        "latency_p50_s": _median(run["p50_s"] for run in our_light),
        "latency_p95_s": _median(run["p95_s"] for run in our_light),
        "throughput_ratio": _median((o["cases_per_s"] / c["cases_per_s"] for c, o in saturated), 3),
        "latency_ratio": _median((o["p50_s"] / c["p50_s"] for c, o in light), 2),
        "worker_rss_mb": rss,
    }

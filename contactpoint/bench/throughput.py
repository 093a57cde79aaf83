"""Phases 1 and 2 side by side: the ceiling and ours, measured in turns, each turn a pair;
and phase 5, one worker process against two, in turns the same way.

This machine's speed drifts by half within minutes, which a ceiling measured once, before
ours, would carry into the ratio. Both sets of worker processes run throughout (the idle set
only waits on its queue), and saturation runs alternate, ceiling then ours, then ours then
ceiling (so that a drift in one direction favours neither); each pair gives a ratio, and the
run reports their median. The light-load latency runs alternate the same way.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from contactpoint.bench.ceiling import LIGHT_LOAD, ceiling_workers, light_count, run_ceiling
from contactpoint.bench.ours import measure_saturation, our_workers, run_cases
from contactpoint.bench.profile import profiled
from contactpoint.bench.runtime import (
    BenchRuntime,
    named_processes_cpu_s,
    process_tree_cpu_s,
    process_tree_peak_rss_mb,
)
from contactpoint.bench.stats import LATENCY_PARTS

TURNS = 3  # saturation pairs per run
LIGHT_TURNS = 2  # light-load pairs per run

Run = Callable[[], dict[str, float]]
Meters = dict[str, Callable[[], float | None]]  # a part -> CPU seconds it has used so far
CPU = "_cpu_ms_per_case"


def metered(run: Run, meters: Meters, count: int) -> Run:
    """`run`, with the CPU each part of the machine spent on it, per case, in milliseconds
    (`<part>_cpu_ms_per_case`): what one adds hosts for, whatever the machine's speed."""

    def measured() -> dict[str, float]:
        before = {part: meter() for part, meter in meters.items()}
        result = run()
        for part, meter in meters.items():
            start, end = before[part], meter()
            if start is not None and end is not None:
                result[part + CPU] = round((end - start) * 1000 / count, 2)
        return result

    return measured


def _cpu_figures(saturated: list[tuple[dict[str, float], dict[str, float]]]) -> dict[str, float]:
    """Per part, the median CPU per case of each side's saturation runs (the ceiling's parts
    prefixed `ceiling_`), each side's total, and the median of the pairs' ratios of totals."""
    figures: dict[str, float] = {}
    totals = []
    for ceiling, ours in saturated:
        totals.append(
            [sum(v for k, v in run.items() if k.endswith(CPU)) for run in (ceiling, ours)]
        )
    for prefix, side in (("ceiling_", 0), ("", 1)):
        for key in (k for k in saturated[0][side] if k.endswith(CPU)):
            figures[prefix + key] = _median((pair[side][key] for pair in saturated), 2)
        figures[prefix + CPU.lstrip("_")] = _median((total[side] for total in totals), 2)
    if all(ceiling for ceiling, _ in totals):
        figures["cpu_ratio"] = _median((ours / ceiling for ceiling, ours in totals), 2)
    return figures


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

    def shared(worker_pid: int) -> Meters:  # the parts each side uses; the submitter is this
        return {  # process (ours writes the submission here, as a web process would)
            "worker": lambda: process_tree_cpu_s(worker_pid),
            "redis": lambda: named_processes_cpu_s("redis-server"),
            "submitter": time.process_time,
        }

    with (
        ceiling_workers(runtime, workers, width) as ceiling_pid,
        our_workers(runtime, workers) as pid,
    ):
        saturated = []
        our_meters = shared(pid)
        if sa.engine.make_url(runtime.database_url).get_backend_name() == "postgresql":
            our_meters["database"] = lambda: named_processes_cpu_s("postgres")
        runs = (
            metered(ceiling(cases, None, "saturation"), shared(ceiling_pid), cases),
            metered(ours(cases, None, "saturation"), our_meters, cases),
        )
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
        **{  # where our latency goes, along each case's critical path (`stats.LATENCY_PARTS`)
            key: _median((run[key] for run in our_light), 2)
            for key in (f"latency_{part}_ms" for part in LATENCY_PARTS)
        },
        "worker_rss_mb": rss,
        **_cpu_figures(saturated),
    }


def measure_scale(runtime: BenchRuntime, cases: int, show: bool) -> dict[str, float]:
    """Cases per second at saturation with 1 and with 2 worker processes, in turns, each
    pair giving a scaling factor; the run reports their median, and each side's median."""

    def workers(count: int) -> Run:
        return lambda: {"cases_per_s": measure_saturation(runtime, cases, count, show)}

    pairs = [_pair(turn, workers(1), workers(2)) for turn in range(TURNS)]
    one, two = ([run["cases_per_s"] for run in side] for side in zip(*pairs, strict=True))
    factors = [b / a for a, b in zip(one, two, strict=True) if a]
    return {
        "cases_per_s_1_worker": _median(one, 2),
        "cases_per_s_2_workers": _median(two, 2),
        "scale_factor_2_workers": _median(factors, 2) if factors else 0.0,
    }

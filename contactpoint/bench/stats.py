"""Percentiles, a progress bar on stderr, a concurrent HTTP load, and the median of runs."""

from __future__ import annotations

import http.client
import itertools
import statistics
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Request = tuple[str, str, dict[str, str], bytes | None]  # method, path, headers, body


def percentile(values: list[float], fraction: float) -> float:
    """The `fraction` quantile of `values` (nearest rank); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


class Progress:
    """A one-line progress bar on stderr: redrawn on a terminal, a few lines otherwise."""

    def __init__(self, label: str, total: int, enabled: bool = True) -> None:
        self.label, self.total, self.enabled = label, max(total, 1), enabled
        self.tty = sys.stderr.isatty()
        self._shown = -1

    def update(self, done: int) -> None:
        """Show that `done` of the total are finished."""
        if not self.enabled:
            return
        tenth = min(10, done * 10 // self.total)
        if not self.tty and tenth == self._shown:
            return
        self._shown = tenth
        bar = "#" * (done * 30 // self.total)
        end = "\r" if self.tty else "\n"
        sys.stderr.write(f"{self.label:<28} [{bar:<30}] {done}/{self.total}{end}")
        sys.stderr.flush()

    def close(self) -> None:
        """Finish the line."""
        if self.enabled and self.tty:
            sys.stderr.write("\n")
            sys.stderr.flush()


@dataclass(frozen=True)
class LoadResult:
    """What a load run measured."""

    requests: int
    errors: int
    rps: float
    p50_s: float
    p99_s: float
    elapsed_s: float = 0.0
    latencies: tuple[float, ...] = field(default=(), repr=False)


def _load_result(latencies: list[float], errors: int, elapsed_s: float) -> LoadResult:
    return LoadResult(
        requests=len(latencies),
        errors=errors,
        rps=round(len(latencies) / elapsed_s, 1) if elapsed_s > 0 else 0.0,
        p50_s=round(percentile(latencies, 0.50), 4),
        p99_s=round(percentile(latencies, 0.99), 4),
        elapsed_s=elapsed_s,
        latencies=tuple(latencies),
    )


def load_of(
    port: int,
    make_request: Callable[[int], Request],
    threads: int,
    expect: tuple[int, ...] = (200,),
) -> Callable[[float], LoadResult]:
    """`http_load` of these requests, for a number of seconds given later (`in_turns`)."""
    return lambda seconds: http_load(port, make_request, threads, seconds, expect)


def in_turns(
    loads: dict[str, Callable[[float], LoadResult]], duration_s: float, turns: int = 3
) -> dict[str, LoadResult]:
    """Run each load for `duration_s` in all, in `turns` slices that take turns (forward,
    then backward): a drift of the machine's speed meets every load alike, which one load
    after another would put into their ratio."""
    slices: dict[str, list[LoadResult]] = {name: [] for name in loads}
    for turn in range(turns):
        names = list(loads) if turn % 2 == 0 else list(reversed(loads))
        for name in names:
            slices[name].append(loads[name](duration_s / turns))
    return {
        name: _load_result(
            [value for part in parts for value in part.latencies],
            sum(part.errors for part in parts),
            sum(part.elapsed_s for part in parts),
        )
        for name, parts in slices.items()
    }


def http_load(
    port: int,
    make_request: Callable[[int], Request],
    threads: int = 8,
    duration_s: float = 5.0,
    expect: tuple[int, ...] = (200,),
    requests: int | None = None,
) -> LoadResult:
    """Send requests from `threads` clients to 127.0.0.1:`port` for `duration_s`; or, given
    `requests`, exactly that many (numbered 0 to `requests` - 1, shared among the clients,
    so that each number is asked for once), with `duration_s` as the limit."""
    latencies: list[list[float]] = [[] for _ in range(threads)]
    errors = [0] * threads
    start = time.monotonic()
    deadline = start + duration_s
    numbers = itertools.count()  # taking the next number is atomic: one bytecode

    def client(number: int) -> None:
        conn: http.client.HTTPConnection | None = None
        sent = 0
        while time.monotonic() < deadline:
            if requests is None:
                which = number * 1_000_003 + sent
            elif (which := next(numbers)) >= requests:
                break
            method, path, headers, body = make_request(which)
            sent += 1
            began = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status not in expect:
                    errors[number] += 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                errors[number] += 1
                if conn is not None:
                    conn.close()
                conn = None
                continue
            latencies[number].append(time.perf_counter() - began)
        if conn is not None:
            conn.close()

    workers = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - start
    everything = [value for per_thread in latencies for value in per_thread]
    return _load_result(everything, sum(errors), elapsed)


def summarise_runs(runs: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """The median of each numeric figure over the runs, and its range [min, max]."""
    median: dict[str, Any] = {}
    ranges: dict[str, list[Any]] = {}
    for key, first in runs[0].items():
        values = [run.get(key) for run in runs]
        numeric = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
        if len(numeric) == len(values) and not isinstance(first, bool):
            median[key] = round(statistics.median(numeric), 4)
            if len(runs) > 1:
                ranges[key] = [min(numeric), max(numeric)]
        else:
            median[key] = first
    return median, ranges


def submit_batch(
    submit: Callable[[int], Any], count: int, rate_per_s: float | None, progress: Progress
) -> tuple[list[float], list[Any]]:
    """Call `submit(i)` `count` times, as fast as possible or paced at `rate_per_s`.

    Returns the wall-clock time (time.time()) just before each call, and what each returned.
    """
    times: list[float] = []
    results: list[Any] = []
    start = time.monotonic()
    for number in range(count):
        if rate_per_s:
            pause = start + number / rate_per_s - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        times.append(time.time())
        results.append(submit(number))
        progress.update(number + 1)
    progress.close()
    return times, results


@dataclass(frozen=True)
class StepTimes:
    """When a step of a case began its (last) attempt and when it ended, in epoch seconds."""

    key: str
    depends_on: tuple[str, ...]
    started: float
    finished: float


def critical_path(steps: list[StepTimes]) -> list[StepTimes]:
    """The steps that decided when a case finished, first to last: its step that ended last,
    the step it needed that ended last, and so on back to a step that needed none."""
    by_key = {step.key: step for step in steps}
    path = [max(steps, key=lambda step: step.finished)]
    while needed := [
        by_key[key] for key in path[-1].depends_on if key in by_key and by_key[key] not in path
    ]:
        path.append(max(needed, key=lambda step: step.finished))
    return path[::-1]


# A case's latency along its critical path, in parts that add up to it: from the submission
# to its first step begun (the submission's write, its message, a worker taking it up); in
# steps (each from its start to its answer: winning the step, the agency's call); and
# between steps (recording an answer and claiming what it made ready, their messages, a
# worker taking them up, and any wait for a free worker).
LATENCY_PARTS = ("until_first_step", "in_steps", "between_steps")


def latency_parts(submitted: float, path: list[StepTimes]) -> dict[str, float]:
    """`LATENCY_PARTS` of a case submitted at `submitted` whose critical path is `path`."""
    return {
        "until_first_step": path[0].started - submitted,
        "in_steps": sum(step.finished - step.started for step in path),
        "between_steps": sum(b.started - a.finished for a, b in itertools.pairwise(path)),
    }


def latency_parts_p50(submitted: list[float], paths: list[list[StepTimes]]) -> dict[str, float]:
    """The p50 of each of the latency's parts (`latency_<part>_ms`), of cases submitted at
    `submitted` whose critical paths are `paths`."""
    parts = [latency_parts(begin, path) for begin, path in zip(submitted, paths, strict=True)]
    return {
        f"latency_{name}_ms": round(percentile([part[name] for part in parts], 0.5) * 1000, 2)
        for name in LATENCY_PARTS
    }


def throughput_and_latency(submitted: list[float], finished: list[float]) -> dict[str, float]:
    """Cases per second from the first submit to the last finish, and latency p50/p95."""
    span = max(finished) - min(submitted)
    latencies = [end - begin for begin, end in zip(submitted, finished, strict=True)]
    return {
        "cases_per_s": round(len(finished) / span, 2) if span > 0 else 0.0,
        "p50_s": round(percentile(latencies, 0.50), 4),
        "p95_s": round(percentile(latencies, 0.95), 4),
    }

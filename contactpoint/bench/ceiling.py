"""Phase 1, the ceiling: the same shape of work in raw Celery, same broker, same worker count."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from contactpoint.bench import rawcelery
from contactpoint.bench.runtime import BenchRuntime, wait_for
from contactpoint.bench.stats import Progress, submit_batch, throughput_and_latency

LIGHT_LOAD = 0.2


def run_ceiling(
    runtime: BenchRuntime, count: int, width: int, rate: float | None, label: str, show: bool
) -> dict[str, float]:
    """Send `count` cases (paced at `rate`, or at once) and wait until every callback ran."""
    client = runtime.redis()
    batch = uuid.uuid4().hex[:8]
    progress = Progress(label, count, show)
    submitted, _ = submit_batch(
        lambda n: rawcelery.canvas(batch, n, width).apply_async(), count, rate, progress
    )
    key = rawcelery.DONE_KEY + batch
    wait_for(lambda: client.hlen(key) >= count, 60 + count, "the ceiling's callbacks", 0.05)
    finished_at = {int(k): float(v) for k, v in client.hgetall(key).items()}
    client.delete(key)
    client.close()
    return throughput_and_latency(submitted, [finished_at[n] for n in range(count)])


def light_count(cases: int, rate_per_s: float) -> int:
    """How many cases the light-load latency run sends: about 20 seconds' worth, 10 to 200."""
    return max(10, min(200, cases // 4, int(rate_per_s * 20)))


@contextmanager
def ceiling_workers(runtime: BenchRuntime, workers: int, width: int) -> Iterator[int]:
    """Raw Celery's worker processes, warmed up; yields the worker's pid."""
    rawcelery.configure(runtime.redis_url)
    with runtime.celery_worker("contactpoint.bench.rawcelery", [rawcelery.QUEUE], workers) as pid:
        run_ceiling(runtime, 20, width, None, "ceiling: warm-up", False)
        yield pid

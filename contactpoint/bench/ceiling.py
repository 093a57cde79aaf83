"""Phase 1, the ceiling: the same shape of work in raw Celery, same broker, same worker count."""

from __future__ import annotations

import uuid
from typing import Any

from . import rawcelery
from .runtime import BenchRuntime, wait_for
from .stats import Progress, submit_batch, throughput_and_latency

LIGHT_LOAD = 0.2


def _run(
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


def measure_ceiling(
    runtime: BenchRuntime, cases: int, workers: int, width: int, show: bool = True
) -> dict[str, Any]:
    """Raw Celery's cases per second at saturation and its latency at a fifth of that."""
    module = "contactpoint.bench.rawcelery"
    rawcelery.configure(runtime.redis_url)
    with runtime.celery_worker(module, [rawcelery.QUEUE], workers):
        _run(runtime, min(cases, 20), width, None, "ceiling: warm-up", False)
        saturated = _run(runtime, cases, width, None, "ceiling: saturation", show)
        rate = saturated["cases_per_s"] * LIGHT_LOAD
        light = _run(runtime, light_count(cases, rate), width, rate, "ceiling: light load", show)
    return {
        "ceiling_cases_per_s": saturated["cases_per_s"],
        "ceiling_latency_p50_s": light["p50_s"],
        "ceiling_latency_p95_s": light["p95_s"],
    }

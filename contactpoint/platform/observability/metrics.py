"""Prometheus metrics: steps by agency and outcome, step latency, retries, queue depth, the
work waiting for people by agency, and what recovery drove again. The counters are here, the
gauges read when scraped in `collectors`, the store that counts steps in `metered_store`.

With `PROMETHEUS_MULTIPROC_DIR` set (a fresh, empty directory per host, before start), every
gunicorn and Celery child process writes its samples there and `/metrics` adds them up.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from celery.signals import task_success, worker_process_shutdown, worker_ready
from flask import Blueprint, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)

from contactpoint.platform.observability.collectors import AuditChainHead, QueueDepth, StepBacklog
from workflows.durability_tasks import purge_expired, recover

STEPS = Counter(
    "contactpoint_steps", "Steps that reached an outcome, by agency.", ["agency", "outcome"]
)
STEP_SECONDS = Histogram(
    "contactpoint_step_duration_seconds",
    "From a step's start to its agency's answer.",
    ["agency"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
QUEUE_WAIT_SECONDS = Histogram(
    "contactpoint_step_queue_wait_seconds",
    "From a step's claim for its agency's queue to a worker beginning its first attempt: "
    "how long steps wait for a free worker of their agency.",
    ["agency"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
)
RETRIES = Counter("contactpoint_step_retries", "Transient failures retried, by agency.", ["agency"])
BREAKER_OPENED = Counter(
    "contactpoint_agency_breaker_opened",
    "Times a worker process stopped calling an agency for a while after failures in a row "
    "(`workflows.breakers`): the agency, or the way to it, is failing.",
    ["agency"],
)
BREAKER_OPEN = Gauge(
    "contactpoint_agency_breaker_open",
    "1 while a worker process is not calling the agency after failures in a row (the "
    "highest of the living processes).",
    ["agency"],
    multiprocess_mode="livemax",
)
log = logging.getLogger(__name__)


def breaker_changed(agency: str, opened: bool) -> None:
    """An agency's breaker opened (or closed again) in this process: the metrics and the log."""
    BREAKER_OPEN.labels(agency=agency).set(1 if opened else 0)
    if opened:
        BREAKER_OPENED.labels(agency=agency).inc()
        log.warning("agency %s: failures in a row; not called for a while", agency)
    else:
        log.info("agency %s answers again", agency)


RECOVERED = Counter(
    "contactpoint_recovered",
    "What recovery passes drove again: cases advanced from the outbox (advanced), steps sent "
    "on their scheduled retry (retried), steps sent again after a lost worker or message "
    "(requeued), withdrawals sent (withdrawals).",
    ["kind"],
)
REMOVED = Counter(
    "contactpoint_retention_removed",
    "What retention passes removed: closed cases, drafts never sent, register reads that "
    "became no case, audit entries, messages that concern no case (kind).",
    ["kind"],
)
RATE_LIMITED = Counter(
    "contactpoint_rate_limited",
    "Requests refused for a rate limit (`contactpoint.platform.rate_limits`): cases sent by one "
    "person (submissions), wrong agency secrets from one address (agency_token_failures).",
    ["kind"],
)


def registry() -> CollectorRegistry:
    """This process's registry, or every process's samples in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        combined = CollectorRegistry()
        multiprocess.MultiProcessCollector(combined)
        return combined
    return REGISTRY


def metrics_blueprint(redis_url: str) -> Blueprint:
    """`GET /metrics` in Prometheus's text format."""
    bp = Blueprint("metrics", __name__)
    depth = CollectorRegistry(auto_describe=False)
    depth.register(QueueDepth(redis_url))
    depth.register(StepBacklog())
    depth.register(AuditChainHead())

    @bp.get("/metrics")
    def metrics() -> Response:
        body = generate_latest(registry()) + generate_latest(depth)
        return Response(body, mimetype=CONTENT_TYPE_LATEST)

    return bp


def connect_worker_metrics() -> None:
    """A worker serves its host's metrics on `CONTACTPOINT_METRICS_PORT`, if set, and counts
    what its recovery passes did."""
    worker_ready.connect(_serve_worker_metrics, weak=False, dispatch_uid="cp-metrics")
    worker_process_shutdown.connect(_child_exited, weak=False, dispatch_uid="cp-metrics-exit")
    task_success.connect(count_pass, weak=False, dispatch_uid="cp-metrics-recovered")


def count_pass(sender: Any = None, result: Any = None, **_kwargs: Any) -> None:
    """After a recovery or retention pass: add what it did to `contactpoint_recovered_total`
    or `contactpoint_retention_removed_total`."""
    counters = {recover.name: RECOVERED, purge_expired.name: REMOVED}
    counter = counters.get(getattr(sender, "name", None) or "")
    if counter is None or not isinstance(result, dict):
        return
    for kind, count in result.items():
        if count:
            counter.labels(kind=kind).inc(count)


def _serve_worker_metrics(**_kwargs: Any) -> None:
    port = os.environ.get("CONTACTPOINT_METRICS_PORT")
    if port:
        address = os.environ.get("CONTACTPOINT_METRICS_ADDRESS", "127.0.0.1")
        start_http_server(int(port), addr=address, registry=registry())


def _child_exited(pid: int | None = None, **_kwargs: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(pid or os.getpid())

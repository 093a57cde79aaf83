"""Prometheus metrics: steps by agency and outcome, step latency, retries, queue depth, the
work waiting for people by agency, and what recovery drove again.

With `PROMETHEUS_MULTIPROC_DIR` set (a fresh, empty directory per host, before start), every
gunicorn and Celery child process writes its samples there and `/metrics` adds them up.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator, Mapping
from typing import Any

import redis
import sqlalchemy
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
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from agencies import clock
from agencies.catalogue import AGENCIES, all_agency_queues
from contactpoint.audit.head import current_head, hash_prefix
from contactpoint.db.inbox import backlog
from contactpoint.extensions import db
from contactpoint.platform.observability.logs import bind
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
PRIORITY_SUFFIXES = ("", "\x06\x163", "\x06\x166", "\x06\x169")  # kombu's Redis priority lists


class QueueDepth(Collector):
    """Messages waiting in each queue, read from Redis when scraped."""

    def __init__(self, redis_url: str) -> None:
        self.redis_url = redis_url
        self._client: redis.Redis | None = None  # one per process, kept from scrape to scrape

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """One gauge sample per queue; nothing when Redis does not answer."""
        family = GaugeMetricFamily(
            "contactpoint_queue_depth", "Messages waiting in a queue.", labels=["queue"]
        )
        queues = ["contactpoint", *all_agency_queues()]
        try:
            if self._client is None:
                self._client = redis.Redis.from_url(
                    self.redis_url, socket_connect_timeout=1, socket_timeout=1
                )
            with self._client.pipeline(transaction=False) as pipe:
                for queue in queues:
                    for suffix in PRIORITY_SUFFIXES:
                        pipe.llen(queue + suffix)
                lengths = pipe.execute()
        except redis.RedisError:
            return
        width = len(PRIORITY_SUFFIXES)
        for index, queue in enumerate(queues):
            family.add_metric([queue], sum(lengths[index * width : (index + 1) * width]))
        yield family


class StepBacklog(Collector):
    """Steps waiting for a person, and steps failed, by agency, read from the database when
    scraped."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """The waiting, overdue, citizen, failed and unreachable counts per agency; nothing
        when the database fails."""
        try:
            counts = backlog(sorted(AGENCIES), clock.now())
        except sqlalchemy.exc.SQLAlchemyError:
            return
        families = {
            "waiting": GaugeMetricFamily(
                "contactpoint_steps_waiting_for_agency",
                "Steps waiting for a decision by the agency's officers.",
                labels=["agency"],
            ),
            "overdue": GaugeMetricFamily(
                "contactpoint_steps_overdue",
                "Steps waiting for the agency past their service-level date.",
                labels=["agency"],
            ),
            "citizen": GaugeMetricFamily(
                "contactpoint_steps_waiting_for_citizen",
                "Steps waiting for the citizen to answer the agency's question.",
                labels=["agency"],
            ),
            "failed": GaugeMetricFamily(
                "contactpoint_steps_failed",
                "Steps that failed at the agency after every retry (its failed queue), to be "
                "sent again once it is back: `contactpoint retry-failed`.",
                labels=["agency"],
            ),
            "unreachable": GaugeMetricFamily(
                "contactpoint_steps_retry_scheduled",
                "Steps whose agency could not be reached, waiting in the database for a "
                "scheduled retry: the agency is down, or its connection is.",
                labels=["agency"],
            ),
        }
        for agency, of_agency in counts.items():
            for queue, family in families.items():
                family.add_metric([agency], of_agency[queue])
        yield from families.values()


class AuditChainHead(Collector):
    """The audit trail's head, read from the database when scraped: its position, which never
    goes back, and the first digits of its hash (`contactpoint.audit.head`)."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """The two gauges; nothing when the database fails."""
        try:
            with db.engine.connect() as connection:
                head = current_head(connection)
        except sqlalchemy.exc.SQLAlchemyError:
            return
        yield GaugeMetricFamily(
            "contactpoint_audit_chain_head_position",
            "The position of the audit trail's last entry: it only grows, and `contactpoint"
            " audit verify` must reach it.",
            value=head.position,
        )
        yield GaugeMetricFamily(
            "contactpoint_audit_chain_head_hash_prefix",
            "The first 12 hex digits of the hash of the audit trail's last entry, as a number"
            " (printf '%012x' prints them).",
            value=hash_prefix(head.entry_hash),
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


class MeteredStore:
    """The workflows' store, counting outcomes and timing steps on the way through."""

    def __init__(self, store: Any, agency_of: Any) -> None:
        self._store = store
        self._agency_of = agency_of
        self._started: dict[str, tuple[str, float]] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def begin_step(self, step_id: str) -> Any:
        """Start the clock for the step, bind its ids to the log context, and note how long
        its first attempt waited in its agency's queue."""
        work = self._store.begin_step(step_id)
        if work is not None:
            self._started[step_id] = (work.agency, time.monotonic())
            bind(case_id=work.case_id, step_id=step_id, agency=work.agency)
            if work.attempt == 1 and work.sent_at and work.began_at:  # a retry waited on purpose
                waited = (work.began_at - work.sent_at).total_seconds()
                QUEUE_WAIT_SECONDS.labels(agency=work.agency).observe(max(waited, 0.0))
        return work

    def _outcome(self, step_id: str, outcome: str) -> None:
        agency, began = self._started.pop(step_id, (None, None))
        agency = agency or self._agency_of(step_id)
        STEPS.labels(agency=agency, outcome=outcome).inc()
        if began is not None:
            STEP_SECONDS.labels(agency=agency).observe(time.monotonic() - began)

    def step_done(
        self, step_id: str, reference: str, outputs: Mapping[str, Any], message: str
    ) -> None:
        """Record the step and count it done."""
        self._store.step_done(step_id, reference, outputs, message)
        self._outcome(step_id, "done")

    def step_waiting(self, step_id: str, ball: str, reference: str, message: str) -> None:
        """Record the step and count it waiting."""
        self._store.step_waiting(step_id, ball, reference, message)
        self._outcome(step_id, "waiting")

    def step_failed(self, step_id: str, reason: str) -> None:
        """Record the step and count it failed."""
        self._store.step_failed(step_id, reason)
        self._outcome(step_id, "failed")

    def step_retrying(
        self,
        step_id: str,
        reason: str,
        delay_s: float,
        scheduled: bool = False,
        counted: bool = True,
    ) -> None:
        """Record the retry and count it."""
        self._store.step_retrying(step_id, reason, delay_s, scheduled, counted)
        agency = self._started.get(step_id, (None, 0.0))[0] or self._agency_of(step_id)
        RETRIES.labels(agency=agency).inc()
        self._started.pop(step_id, None)

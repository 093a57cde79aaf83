"""Gauges read when `/metrics` is scraped, not counted as things happen: the messages waiting in
each queue (Redis), the steps waiting for people or failed by agency (the database), and the
audit trail's head."""

from __future__ import annotations

from collections.abc import Iterator

import redis
import sqlalchemy
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from agencies import clock
from agencies.catalogue import AGENCIES, all_agency_queues
from contactpoint.audit.head import current_head, hash_prefix
from contactpoint.db.inbox import backlog
from contactpoint.extensions import db

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

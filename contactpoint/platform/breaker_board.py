"""The agencies' open breakers, shared in Redis by the worker processes of every host.

One key per agency whose breaker a process opened, holding until when (Unix time) and
expiring then. Each process reads all of them in one MGET at most once per `refresh_s` and
keeps the answer, so a step makes no round trip for it; a process learns of another's opening
within that interval. Redis out of reach only means each process goes by its own breakers.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterable

import redis

log = logging.getLogger(__name__)

PREFIX = "contactpoint:breaker-open:"


class RedisBoard:
    """`workflows.breakers.Board` in Redis."""

    def __init__(self, url: str, agencies: Iterable[str], refresh_s: float = 1.0) -> None:
        self.url = url
        self.agencies = sorted(agencies)
        self.refresh_s = refresh_s
        self.reset()

    def reset(self) -> None:
        """Forget the connection and what was read (in a process just forked)."""
        self._client: redis.Redis | None = None
        self._until: dict[str, float] = {}
        self._read_at = -math.inf

    def _redis(self) -> redis.Redis:
        if self._client is None:
            self._client = redis.Redis.from_url(
                self.url, socket_connect_timeout=0.5, socket_timeout=0.5
            )
        return self._client

    def open_until(self, agency: str) -> float | None:
        """Until when another process skips `agency`, as last read."""
        moment = time.monotonic()
        if moment - self._read_at >= self.refresh_s:
            self._read_at = moment
            try:
                values = self._redis().mget([PREFIX + name for name in self.agencies])
            except redis.RedisError:
                values = [None] * len(self.agencies)
            self._until = {
                name: float(value)
                for name, value in zip(self.agencies, values, strict=True)
                if value is not None
            }
        return self._until.get(agency)

    def opened(self, agency: str, until: float) -> None:
        """Every process skips `agency` until `until`."""
        self._until[agency] = until
        lasts_ms = max(1, round((until - time.time()) * 1000))
        try:
            self._redis().set(PREFIX + agency, repr(until), px=lasts_ms)
        except redis.RedisError:
            log.warning("could not share that %s's breaker opened", agency)

    def closed(self, agency: str) -> None:
        """`agency` answered again: every process may call it."""
        self._until.pop(agency, None)
        try:
            self._redis().delete(PREFIX + agency)
        except redis.RedisError:
            log.warning("could not share that %s's breaker closed", agency)

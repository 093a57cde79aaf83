"""The agencies' open breakers, shared in Redis by the worker processes of every host.

One key per agency whose breaker a process opened, holding until when (Unix time) and
expiring then; beside it, while the agency counts as down (its trials keep failing), a second
key that expires with the first. Each process reads all of them in one MGET at most once per
`refresh_s` and keeps the answer, so a step makes no round trip for it; a process learns of
another's opening within that interval. Redis out of reach only means each process goes by
its own breakers.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterable

import redis

log = logging.getLogger(__name__)

PREFIX = "contactpoint:breaker-open:"
DOWN_PREFIX = "contactpoint:breaker-down:"


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
        self._down: set[str] = set()
        self._read_at = -math.inf

    def _redis(self) -> redis.Redis:
        if self._client is None:
            self._client = redis.Redis.from_url(
                self.url, socket_connect_timeout=0.5, socket_timeout=0.5
            )
        return self._client

    def _read(self) -> None:
        """Read every agency's keys again, if the last reading is older than `refresh_s`."""
        moment = time.monotonic()
        if moment - self._read_at < self.refresh_s:
            return
        self._read_at = moment
        keys = [PREFIX + name for name in self.agencies]
        keys += [DOWN_PREFIX + name for name in self.agencies]
        try:
            values = self._redis().mget(keys)
        except redis.RedisError:
            values = [None] * len(keys)
        opened, down = values[: len(self.agencies)], values[len(self.agencies) :]
        self._until = {
            name: float(value)
            for name, value in zip(self.agencies, opened, strict=True)
            if value is not None
        }
        self._down = {
            name for name, value in zip(self.agencies, down, strict=True) if value is not None
        }

    def open_until(self, agency: str) -> float | None:
        """Until when another process skips `agency`, as last read."""
        self._read()
        return self._until.get(agency)

    def down(self, agency: str) -> bool:
        """Another process found `agency` down while its breaker is open, as last read."""
        self._read()
        return agency in self._down

    def opened(self, agency: str, until: float, down: bool = False) -> None:
        """Every process skips `agency` until `until` (and counts what it skips, if `down`)."""
        self._until[agency] = until
        if down:
            self._down.add(agency)
        lasts_ms = max(1, round((until - time.time()) * 1000))
        try:
            with self._redis().pipeline(transaction=False) as pipe:
                pipe.set(PREFIX + agency, repr(until), px=lasts_ms)
                if down:
                    pipe.set(DOWN_PREFIX + agency, "1", px=lasts_ms)
                pipe.execute()
        except redis.RedisError:
            log.warning("could not share that %s's breaker opened", agency)

    def closed(self, agency: str) -> None:
        """`agency` answered again: every process may call it."""
        self._until.pop(agency, None)
        self._down.discard(agency)
        try:
            self._redis().delete(PREFIX + agency, DOWN_PREFIX + agency)
        except redis.RedisError:
            log.warning("could not share that %s's breaker closed", agency)

"""Rate limits: how much one caller may ask of Kontaktpunkt in a while, counted in Redis.

The limits an operator of a national service needs from the first day:

- `submissions`, per person: every case puts work in front of several agencies' officers, so
  one account (or a script holding its token) cannot flood them. An attempt counts once it
  gets as far as sending (taken in one round trip before the case is written: a submission
  refused for its answers there counts too, which the pages' own checks make rare); one
  refused for its consent or its life event, or by the limit, does not.
- `agency_token_failures`, per client address: wrong secrets at `POST /api/v1/agencies/token`.
  A right secret is never counted, but once an address has run out, it waits like everyone
  else.
- `verification_emails`, per person: links that verify an e-mail address, each sent to an
  address not yet known to be the person's (`contactpoint.notifications.give_address`), so
  an account cannot be used to mail strangers.
- `mina_arenden_key_failures`, per client address: wrong or missing `X-API-Key` at the Mina
  ärenden query (`contactpoint.mina_arenden`), the same way.

The windows and their counts are the `limits` library's (sliding-window counters: two
counters per key, one round trip to check or to take), kept in the app's Redis, so every
web process on every host shares them. When Redis cannot be reached, the limits let requests
through and log it: a limit must not make the service less available than Redis already does.
The values come from the environment (`CONTACTPOINT_SUBMISSION_LIMIT`,
`CONTACTPOINT_TOKEN_FAILURE_LIMIT`, `CONTACTPOINT_MINA_ARENDEN_FAILURE_LIMIT`,
`CONTACTPOINT_VERIFICATION_LIMIT`; "off" for none)
in `limits`' notation, "20 per hour".
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from limits import RateLimitItem
from limits.storage import storage_from_string
from limits.strategies import SlidingWindowCounterRateLimiter
from redis.exceptions import RedisError

from contactpoint.config import limit_windows
from contactpoint.extensions import per_app
from contactpoint.platform.observability.metrics import RATE_LIMITED

log = logging.getLogger(__name__)

SETTINGS = {
    "submissions": "SUBMISSION_LIMIT",
    "agency_token_failures": "TOKEN_FAILURE_LIMIT",
    "mina_arenden_key_failures": "MINA_ARENDEN_FAILURE_LIMIT",
    "verification_emails": "VERIFICATION_LIMIT",
}


class RateLimited(Exception):
    """A caller has used up a limit: `retry_at` (epoch seconds) is when one more goes."""

    def __init__(self, kind: str, item: RateLimitItem, retry_at: float) -> None:
        super().__init__(f"{kind}: {item}")
        self.kind = kind
        self.item = item
        self.retry_at = retry_at

    @property
    def until(self) -> dt.datetime:
        """When one more goes, as a time to show."""
        return dt.datetime.fromtimestamp(self.retry_at, dt.UTC)

    @property
    def retry_after_s(self) -> int:
        """Whole seconds until one more goes (at least 1: HTTP's Retry-After)."""
        return max(1, math.ceil(self.retry_at - time.time()))


@dataclass(frozen=True)
class Limits:
    """The configured limits of one app, and the counters they are kept in."""

    counter: SlidingWindowCounterRateLimiter
    windows: dict[str, list[RateLimitItem]]

    def check(self, kind: str, who: str) -> None:
        """Raise RateLimited if `who` has no room left for one more `kind`."""
        self._room(kind, who, self.counter.test)

    def take(self, kind: str, who: str) -> None:
        """Count one `kind` for `who` if there is room, in one round trip; else raise
        RateLimited and count nothing."""
        self._room(kind, who, self.counter.hit)

    def _room(self, kind: str, who: str, ask: Callable[..., bool]) -> None:
        """`ask` each window of `kind` (test, or test and count) whether there is room; raise
        RateLimited at the first that has none. Redis out of reach: let it through."""
        for item in self.windows[kind]:
            try:
                if ask(item, kind, who):
                    continue
                reset_at = self.counter.get_window_stats(item, kind, who).reset_time
            except RedisError:
                log.warning("rate limit %s not applied: Redis cannot be reached", kind)
                return
            RATE_LIMITED.labels(kind).inc()
            log.info("rate limit %s reached (%s)", kind, item)
            raise RateLimited(kind, item, reset_at)

    def count(self, kind: str, who: str) -> None:
        """Count one `kind` for `who`."""
        for item in self.windows[kind]:
            try:
                self.counter.hit(item, kind, who)
            except RedisError:
                log.warning("rate limit %s not counted: Redis cannot be reached", kind)
                return


def _made() -> Limits:
    config = current_app.config
    storage = storage_from_string(
        config["REDIS_URL"], key_prefix="contactpoint-limits", socket_timeout=1.0
    )
    windows = {kind: limit_windows(config[setting]) for kind, setting in SETTINGS.items()}
    return Limits(SlidingWindowCounterRateLimiter(storage), windows)


def current() -> Limits:
    """The current app's limits (one Redis connection pool per process)."""
    found: Limits = per_app("rate_limits", _made)
    return found

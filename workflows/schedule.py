"""Periodic work, run by Celery beat with RedBeat: one scheduler across hosts, by a Redis lock."""

from __future__ import annotations

import logging
from typing import Any

import redis
from redbeat import RedBeatScheduler

log = logging.getLogger(__name__)

RECOVERY_QUEUE = "contactpoint"
OUTAGE_RETRY_S = 1.0


class ResilientRedBeatScheduler(RedBeatScheduler):
    """RedBeat that rides out a Redis outage instead of exiting, and sends only with the lock.

    Plain RedBeat exits when Redis is unreachable; the recovery pass is needed most right
    after an outage, so this scheduler waits and carries on. If its lock lapsed meanwhile, it
    takes it back, or waits as a standby while another beat holds it.
    """

    def tick(self, *args: Any, **kwargs: Any) -> float:
        """One beat: extend the lock, send what is due; on an outage, try again shortly."""
        try:
            return float(super().tick(*args, **kwargs))
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
            log.warning("beat: Redis is unreachable; trying again in %.0f s", OUTAGE_RETRY_S)
            return OUTAGE_RETRY_S
        except redis.exceptions.LockError:
            log.warning("beat: the scheduler lock lapsed; taking it again before sending")
            if self.lock is not None:
                self.lock.acquire(blocking=True)
            return 0.0


def beat_settings(
    redis_url: str,
    interval_s: float,
    retention_interval_s: float = 3600.0,
    statistics_interval_s: float = 3600.0,
) -> dict[str, Any]:
    """Celery settings for beat: the RedBeat scheduler, its lock, the recovery pass, the
    retention pass and the statistics roll-up (which releases a month once it has ended).

    Any number of beat processes may run; the one holding RedBeat's lock sends, the others
    wait and take over within `redbeat_lock_timeout` if it dies. A recovery message not taken
    within one interval expires, so a backlog never piles up passes; so does a retention pass.
    """
    loop_s = max(1.0, min(interval_s, 5.0))
    return {
        "beat_scheduler": "workflows.schedule:ResilientRedBeatScheduler",
        "redbeat_redis_url": redis_url,
        "redbeat_key_prefix": "contactpoint:beat:",
        "beat_max_loop_interval": loop_s,
        "redbeat_lock_timeout": int(max(10.0, loop_s * 5)),
        "beat_schedule": {
            "recover": {
                "task": "workflows.recover",
                "schedule": interval_s,
                "options": {"queue": RECOVERY_QUEUE, "expires": max(interval_s, 1.0)},
            },
            "purge": {
                "task": "workflows.purge_expired",
                "schedule": retention_interval_s,
                "options": {"queue": RECOVERY_QUEUE, "expires": max(retention_interval_s, 1.0)},
            },
            "statistics": {
                "task": "workflows.roll_up_statistics",
                "schedule": statistics_interval_s,
                "options": {"queue": RECOVERY_QUEUE, "expires": max(statistics_interval_s, 1.0)},
            },
        },
    }

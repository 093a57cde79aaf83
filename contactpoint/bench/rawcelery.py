"""Raw Celery for the ceiling: per case, a group of no-op tasks and then one callback (a chord).

Started as `celery -A contactpoint.bench.rawcelery worker`; the same reliability settings as
Kontaktpunkt's own Celery app (late acknowledgement, prefetch of one, JSON).
"""

from __future__ import annotations

import os
import time
from typing import Any

import redis
from celery import Celery, chord, group

QUEUE = "bench.noop"
DONE_KEY = "bench:ceiling:done:"


def make_app(url: str) -> Celery:
    """A bare Celery app on `url` (broker and result backend, as chords need)."""
    app = Celery("bench_ceiling", broker=url, backend=url, set_as_current=False)
    app.conf.update(
        task_default_queue=QUEUE,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        accept_content=["json"],
        result_expires=600,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    return app


celery_app = make_app(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
_client: redis.Redis | None = None


def configure(url: str) -> None:
    """Point this process's raw Celery app at `url` (before it first connects)."""
    celery_app.conf.update(broker_url=url, result_backend=url)


@celery_app.task(name="bench.noop")
def noop(index: int) -> int:
    """Do nothing (one per step)."""
    return index


@celery_app.task(name="bench.done")
def done(batch: str, case_no: int) -> None:
    """The callback: note when the case's group finished."""
    global _client
    if _client is None:
        _client = redis.Redis.from_url(celery_app.conf.broker_url)
    _client.hset(DONE_KEY + batch, str(case_no), repr(time.time()))


def canvas(batch: str, case_no: int, width: int) -> Any:
    """The shape of one case: `width` no-op tasks in a group, then the callback."""
    return chord(group(noop.si(i) for i in range(width)), done.si(batch, case_no))

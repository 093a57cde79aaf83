"""The roll-up's task, sent by beat like recovery; it takes nothing and reads the clock."""

from __future__ import annotations

from typing import cast

from celery import shared_task

from agencies import clock

from .. import runtime
from .release import StatisticsStore, roll_up


@shared_task(name="workflows.roll_up_statistics", acks_late=True)
def roll_up_statistics() -> list[str]:
    """Release every month ended since the last release; the months released."""
    release = roll_up(cast(StatisticsStore, runtime.current().store), clock.now())
    return release.periods if release is not None else []

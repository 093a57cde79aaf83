"""The tasks of recovery, retention and withdrawal; like the step tasks they take ids only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from celery import shared_task

from . import runtime, withdrawal
from .recovery import recover as recover_pass
from .retention import purge


@shared_task(name="workflows.recover", acks_late=True)
def recover() -> dict[str, int]:
    """Run one recovery pass (sent by beat, a single scheduler across hosts)."""
    current = runtime.current()
    return recover_pass(current.store, current.dispatcher).as_dict()


@shared_task(name="workflows.purge_expired", acks_late=True)
def purge_expired() -> dict[str, int]:
    """Remove what has outlived its retention period (sent by beat, like `recover`)."""
    current = runtime.current()
    return purge(current.store, current.retention, dt.datetime.now(dt.UTC))


@shared_task(bind=True, name="workflows.withdraw_step", acks_late=True, max_retries=None)
def withdraw_step(self: Any, step_id: str) -> None:
    """Tell one step's agency that the case was withdrawn."""
    current = runtime.current()
    attempt = self.request.retries + 1
    retry = withdrawal.tell_agency(current.store, current.adapters, step_id, attempt, current.retry)
    if retry is not None and not retry.scheduled:  # a scheduled one: recovery sends it
        raise self.retry(countdown=retry.delay_s)  # the policy decides, as for run_step

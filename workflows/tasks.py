"""The Celery tasks: each takes ids only and reads what it needs through the store."""

from __future__ import annotations

from typing import Any

from celery import group, shared_task

from agencies.catalogue import queue_for

from . import engine, runtime
from .durability_tasks import withdraw_step


# max_retries=None: the retry policy (retries.RetryPolicy) says when to stop. Celery's own limit
# (3 unless the task sets another) would end a fourth retry in MaxRetriesExceededError, leaving
# the step running until recovery sent it again.
@shared_task(bind=True, name="workflows.run_step", acks_late=True, max_retries=None)
def run_step(self: Any, step_id: str) -> None:
    """Carry one step to its agency, then advance its case."""
    current = runtime.current()
    store, adapters, dispatcher = current.store, current.adapters, current.dispatcher
    _case_id, retry = engine.run_step(store, adapters, step_id, current.retry, dispatcher)
    if retry is not None and not retry.scheduled:  # a scheduled one waits in the database
        raise self.retry(countdown=retry.delay_s)


@shared_task(name="workflows.advance_case", acks_late=True)
def advance_case(case_id: str) -> None:
    """Dispatch whatever is ready in a case (after a decision, a callback or a restart)."""
    current = runtime.current()
    engine.advance(current.store, current.dispatcher, case_id)


class CeleryDispatcher:
    """Sends ready steps as one group, each task on its agency's queue."""

    def dispatch(self, steps: list[tuple[str, str]]) -> None:
        """Send (step id, agency) pairs, one message each on its agency's queue.

        They are independent tasks (each advances the case itself), so they go over one
        producer connection without a group's bookkeeping.
        """
        with run_step.app.producer_or_acquire() as producer:
            for message in step_messages(steps):
                message.apply_async(producer=producer)

    def dispatch_withdrawals(self, steps: list[tuple[str, str]]) -> None:
        """Send one withdrawal task per step, on its agency's queue."""
        group(
            withdraw_step.si(step_id).set(queue=queue_for(agency)) for step_id, agency in steps
        ).apply_async()


def step_messages(steps: list[tuple[str, str]]) -> list[Any]:
    """One immutable task per step, each routed to its agency's queue."""
    return [run_step.si(step_id).set(queue=queue_for(agency)) for step_id, agency in steps]

"""The Celery tasks: each takes ids only and reads what it needs through the store."""

from __future__ import annotations

from typing import Any

from celery import group, shared_task

from agencies.catalogue import queue_for

from . import engine, runtime


@shared_task(bind=True, name="workflows.run_step", acks_late=True)
def run_step(self: Any, step_id: str) -> None:
    """Carry one step to its agency, then advance its case."""
    current = runtime.current()
    case_id, retry = engine.run_step(current.store, current.adapters, step_id, current.retry)
    if retry is not None:
        raise self.retry(countdown=retry.delay_s, max_retries=None)
    if case_id is not None:
        engine.advance(current.store, current.dispatcher, case_id)


@shared_task(name="workflows.advance_case", acks_late=True)
def advance_case(case_id: str) -> None:
    """Dispatch whatever is ready in a case (after a decision, a callback or a restart)."""
    current = runtime.current()
    engine.advance(current.store, current.dispatcher, case_id)


class CeleryDispatcher:
    """Sends ready steps as one group, each task on its agency's queue."""

    def dispatch(self, steps: list[tuple[str, str]]) -> None:
        """Send (step id, agency) pairs as one Celery group."""
        step_canvas(steps).apply_async()

    def dispatch_withdrawals(self, steps: list[tuple[str, str]]) -> None:
        """Send one withdrawal task per step, on its agency's queue."""
        from .durability_tasks import withdraw_step

        group(
            withdraw_step.si(step_id).set(queue=queue_for(agency)) for step_id, agency in steps
        ).apply_async()


def step_canvas(steps: list[tuple[str, str]]) -> Any:
    """One immutable task per step, each routed to its agency's queue, as a group."""
    return group(run_step.si(step_id).set(queue=queue_for(agency)) for step_id, agency in steps)


def start_case(case_id: str) -> None:
    """Ask a worker to dispatch the first steps of a stored case; fail fast if Redis is down."""
    advance_case.apply_async(
        args=[case_id],
        retry=True,
        retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2},
    )

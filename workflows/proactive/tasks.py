"""The proactive service's Celery tasks: ids in, state read and written through its store."""

from __future__ import annotations

from celery import shared_task

from . import service

CONSUME = "workflows.proactive.consume_event"
PASS = "workflows.proactive.run_pass"


@shared_task(name=CONSUME, acks_late=True)
def consume_event(event_id: str) -> int:
    """Act on one register event, once by its id (a redelivery writes nothing again)."""
    return service.consume(service.current(), event_id)


@shared_task(name=PASS, acks_late=True)
def run_pass() -> dict[str, int]:
    """One proactive pass (sent by beat)."""
    return service.run_pass(service.current())

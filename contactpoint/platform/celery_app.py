"""The Celery app, created in the factory; every task runs inside the Flask app context."""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from celery import Celery, Task
from celery.signals import worker_process_init
from flask import Flask
from kombu import Queue

from agencies.catalogue import all_agency_queues
from contactpoint.audit.head import publication_schedule
from contactpoint.extensions import (
    DATABASE_RETRY_AFTER_S,
    database_error_line,
    database_unavailable,
    dispose_engines,
    forget_connections_after,
)
from workflows.proactive.tasks import PASS as PROACTIVE_PASS
from workflows.schedule import beat_settings

DEFAULT_QUEUE = "contactpoint"
# E-mail notifications: a queue of their own, so a slow mail server holds up no step.
NOTIFICATION_QUEUE = "notifications"
NOTIFICATION_RECOVERY = "contactpoint.notifications.recover"

log = logging.getLogger(__name__)


def database_backoff_s(retries: int) -> int:
    """Seconds until a task put off by the database tries again: 2, 4, 8, 16, then every 30."""
    return min(DATABASE_RETRY_AFTER_S, 2 ** (retries + 1))


def all_queues() -> list[str]:
    """The default queue, one queue per agency, and the notifications'."""
    return [DEFAULT_QUEUE, *all_agency_queues(), NOTIFICATION_QUEUE]


def celery_init_app(app: Flask) -> Celery:
    """Create the Celery app for this Flask app and make it the default."""

    class FlaskTask(Task):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                try:
                    return self.run(*args, **kwargs)
                except sa.exc.SQLAlchemyError as error:
                    if not database_unavailable(error) or self.request.called_directly:
                        raise
                    forget_connections_after(error)
                    reason = database_error_line(error)
                    if self.name in periodic_tasks():  # the next pass comes in its turn
                        log.warning(
                            "%s skipped: the database cannot answer (%s)", self.name, reason
                        )
                        return None
                    # A task that carries one case on (a step, an advance, a withdrawal) is tried
                    # again, rather than left to recovery's timeouts.
                    log.warning("%s put off: the database cannot answer (%s)", self.name, reason)
                    raise self.retry(
                        exc=error, countdown=database_backoff_s(self.request.retries)
                    ) from error

    def periodic_tasks() -> set[str]:
        """The tasks beat sends: passes that come again by themselves."""
        return {entry["task"] for entry in celery.conf.beat_schedule.values()}

    celery = Celery(app.name, task_cls=FlaskTask)
    celery.conf.update(
        broker_url=app.config["REDIS_URL"],
        task_ignore_result=True,
        result_backend=None,
        task_default_queue=DEFAULT_QUEUE,
        task_queues=[Queue(name) for name in all_queues()],
        # At-least-once: a task is acknowledged after it ran, and requeued if its worker dies.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_transport_options={"visibility_timeout": 3600},
        broker_connection_retry_on_startup=True,
        task_serializer="json",
        accept_content=["json"],
        worker_hijack_root_logger=False,
        worker_send_task_events=app.config.get("TASK_EVENTS", False),
        task_send_sent_event=app.config.get("TASK_EVENTS", False),
    )
    celery.conf.update(
        beat_settings(
            app.config["REDIS_URL"],
            app.config["RECOVERY_INTERVAL_S"],
            app.config["RETENTION_INTERVAL_S"],
            app.config["STATISTICS_INTERVAL_S"],
        )
    )
    celery.conf.beat_schedule = {
        **celery.conf.beat_schedule,
        **publication_schedule(app.config["AUDIT_HEAD_INTERVAL_S"], DEFAULT_QUEUE),
        "proactive": {  # reminders of register dates and step deadlines now due
            "task": PROACTIVE_PASS,
            "schedule": app.config["PROACTIVE_INTERVAL_S"],
            "options": {
                "queue": DEFAULT_QUEUE,
                "expires": max(app.config["PROACTIVE_INTERVAL_S"], 1.0),
            },
        },
        "notify": {  # notifications left queued, put off, or held by a worker that died
            "task": NOTIFICATION_RECOVERY,
            "schedule": app.config["RECOVERY_INTERVAL_S"],
            "options": {
                "queue": NOTIFICATION_QUEUE,
                "expires": max(app.config["RECOVERY_INTERVAL_S"], 1.0),
            },
        },
    }
    celery.conf.task_routes = {"contactpoint.notifications.*": {"queue": NOTIFICATION_QUEUE}}
    celery.conf.update(app.config.get("CELERY", {}))
    celery.set_default()
    app.extensions["celery"] = celery

    def fresh_connections(**_kwargs: Any) -> None:
        """A forked worker process must not share the parent's database connections."""
        with app.app_context():
            dispose_engines(close=False)
        for dispose in app.extensions.get("dispose_after_fork", []):
            dispose()

    worker_process_init.connect(fresh_connections, weak=False)
    # Within a request, tasks sent by `shared_task` go to this app's broker.
    app.before_request(celery.set_current)
    return celery

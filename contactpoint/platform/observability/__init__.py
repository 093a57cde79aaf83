"""What operators watch: structured JSON logs with case and step ids, Prometheus metrics."""

from __future__ import annotations

import os

from flask import Flask

from contactpoint.db.models import Step
from contactpoint.extensions import db
from contactpoint.platform.observability.logs import configure_logging, connect_task_context
from contactpoint.platform.observability.metered_store import MeteredStore
from contactpoint.platform.observability.metrics import (
    breaker_changed,
    connect_worker_metrics,
    metrics_blueprint,
)

__all__ = ["MeteredStore", "breaker_changed", "init_observability", "step_agency"]


def step_agency(step_id: str) -> str:
    """The agency of a step (for a metric label when this process did not start the step)."""
    step = db.session.get(Step, step_id)
    return step.agency if step is not None else "unknown"


def init_observability(app: Flask) -> None:
    """Logs as configured (`CONTACTPOINT_LOG_FORMAT=json`), `/metrics`, task log context."""
    log_format = os.environ.get("CONTACTPOINT_LOG_FORMAT") or (
        "json" if app.config["ENVIRONMENT"] == "production" else ""
    )
    if log_format:
        configure_logging(log_format, os.environ.get("CONTACTPOINT_LOG_LEVEL", "INFO"))
    connect_task_context(log_format)
    connect_worker_metrics()
    app.register_blueprint(metrics_blueprint(app.config["REDIS_URL"]))

"""The app and a bare Celery endpoint as gunicorn serves them in the submit phase.

The workflow's first message goes to a queue of the benchmark's own that no worker consumes,
so the phase measures the submission alone.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Flask, jsonify, request

from .. import create_app
from . import rawcelery

SUBMIT_QUEUE = "bench.submit"


def submit_app() -> Flask:
    """Kontaktpunkt itself, its `advance_case` messages routed to the benchmark's queue."""
    routes = {"workflows.advance_case": {"queue": SUBMIT_QUEUE}}
    return create_app({"CELERY": {"task_routes": routes}})


def raw_app() -> Flask:
    """A bare Flask endpoint that only sends the same shape of canvas with raw Celery."""
    app = Flask("bench_raw_submit")

    @app.get("/livez")
    def livez() -> Any:
        return jsonify(status="ok")

    @app.post("/cases")
    def cases() -> Any:
        body = request.get_json()
        case = uuid.uuid4().hex
        rawcelery.canvas("submit", 0, int(body.get("width", 4))).apply_async()
        return jsonify(id=case, status="received"), 201

    return app

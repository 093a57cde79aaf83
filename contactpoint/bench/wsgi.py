"""The app and a bare Celery endpoint as gunicorn serves them in the submit phase.

No worker runs in this phase, so it measures the submission alone: the first steps' messages
wait on their queues, and the phase empties them when it ends.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Flask, jsonify, request

from contactpoint import create_app
from contactpoint.bench import rawcelery


def submit_app() -> Flask:
    """Kontaktpunkt itself, as it serves `POST /api/v1/cases`."""
    return create_app()


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

"""GET /healthz: the database, Redis and the number of live workers; ok only when all are up."""

from __future__ import annotations

import time
from typing import Any

import redis
import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify

from contactpoint.extensions import db

bp = Blueprint("health", __name__)


def _database() -> str:
    try:
        db.session.execute(sa.text("SELECT 1"))
        return "ok"
    except Exception:  # any failure means the database is not usable
        db.session.rollback()
        return "unreachable"


def _redis_client() -> redis.Redis:
    """This process's client for the checks: its pool keeps a connection from probe to probe
    (and opens a new one after Redis has been away, or in a forked process)."""
    client = current_app.extensions.get("health_redis")
    if client is None:
        client = redis.Redis.from_url(
            current_app.config["REDIS_URL"], socket_connect_timeout=1, socket_timeout=1
        )
        current_app.extensions["health_redis"] = client
    return client


def _redis() -> str:
    try:
        _redis_client().ping()
        return "ok"
    except redis.RedisError:
        return "unreachable"


# Counting the workers waits the whole ping's timeout for replies: a process counts them at
# most this often and answers the probes in between from that count, at once. No worker is
# counted again sooner, so that health turns ok soon after the first worker starts.
WORKERS_COUNTED_FOR_S = 10.0
NO_WORKERS_COUNTED_FOR_S = 1.0
clock = time.monotonic


def _workers() -> int:
    counted = current_app.extensions.get("health_workers")
    moment = clock()
    if counted is not None and moment < counted[0]:
        return int(counted[1])
    try:
        replies = current_app.extensions["celery"].control.ping(timeout=0.5)
    except Exception:  # the broker is down: no worker can be counted
        return 0
    count = len(replies or [])
    kept_for = WORKERS_COUNTED_FOR_S if count else NO_WORKERS_COUNTED_FOR_S
    current_app.extensions["health_workers"] = (moment + kept_for, count)
    return count


@bp.get("/livez")
def livez() -> Any:
    """200 while the process serves requests: touches nothing else (a liveness probe)."""
    return jsonify(status="ok")


@bp.get("/healthz")
def healthz() -> Any:
    """200 when the database and Redis answer and a worker is alive (a case sent now would be
    carried on); 503 naming the failing parts otherwise."""
    body: dict[str, Any] = {"database": _database(), "redis": _redis()}
    body["workers"] = _workers() if body["redis"] == "ok" else 0
    failing = [part for part in ("database", "redis") if body[part] != "ok"]
    if body["redis"] == "ok" and body["workers"] < 1:  # without Redis no worker is reached
        failing.append("workers")
    body["status"] = "ok" if not failing else "unavailable"
    if failing:
        body["failing"] = failing
    return jsonify(body), 200 if not failing else 503

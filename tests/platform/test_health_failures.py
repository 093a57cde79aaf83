"""Health when a part is down: 503 naming the failing part."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from contactpoint import create_app
from contactpoint.platform import health
from contactpoint.platform.embedded import EmbeddedRedis, free_port


def test_healthz_names_redis_when_it_is_unreachable(tmp_path: Path) -> None:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}",
            "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
            "SANDBOX_DATABASE_URL": f"sqlite:///{tmp_path / 'sandbox.sqlite'}",
        }
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["redis"] == "unreachable" and response.json["failing"] == ["redis"]


def test_healthz_follows_redis_going_away_and_coming_back(tmp_path: Path) -> None:
    server = EmbeddedRedis(tmp_path / "redis", persist=False).start()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}",
            "REDIS_URL": server.url,
            "SANDBOX_DATABASE_URL": f"sqlite:///{tmp_path / 'sandbox.sqlite'}",
        }
    )
    client = app.test_client()
    try:
        assert client.get("/healthz").json["redis"] == "ok"
        server.stop()
        assert client.get("/healthz").json["redis"] == "unreachable"
        server.start()
        assert client.get("/healthz").json["redis"] == "ok"
    finally:
        server.stop()


def test_healthz_counts_the_workers_at_most_every_few_seconds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = EmbeddedRedis(tmp_path / "redis", persist=False).start()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}",
            "REDIS_URL": server.url,
            "SANDBOX_DATABASE_URL": f"sqlite:///{tmp_path / 'sandbox.sqlite'}",
        }
    )
    pings: list[float] = []

    def ping(timeout: float) -> list[dict[str, Any]]:  # one more worker answers each time
        pings.append(timeout)
        return [{f"worker-{n}": {"ok": "pong"}} for n in range(len(pings))]

    now = [1000.0]
    monkeypatch.setattr(app.extensions["celery"].control, "ping", ping)
    monkeypatch.setattr(health, "clock", lambda: now[0])
    client = app.test_client()
    try:
        assert client.get("/healthz").json["workers"] == 1
        now[0] += health.WORKERS_COUNTED_FOR_S - 1  # a probe soon after: the same count
        assert client.get("/healthz").json["workers"] == 1 and len(pings) == 1
        now[0] += 1  # then counted again
        assert client.get("/healthz").json["workers"] == 2 and len(pings) == 2
    finally:
        server.stop()


def test_healthz_is_not_ok_while_no_worker_is_alive_and_turns_ok_soon_after_one_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = EmbeddedRedis(tmp_path / "redis", persist=False).start()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}",
            "REDIS_URL": server.url,
            "SANDBOX_DATABASE_URL": f"sqlite:///{tmp_path / 'sandbox.sqlite'}",
        }
    )
    alive: list[dict[str, Any]] = []
    now = [1000.0]
    monkeypatch.setattr(app.extensions["celery"].control, "ping", lambda timeout: list(alive))
    monkeypatch.setattr(health, "clock", lambda: now[0])
    client = app.test_client()
    try:
        starting = client.get("/healthz")
        assert starting.status_code == 503
        assert starting.json["status"] == "unavailable" and starting.json["workers"] == 0
        assert starting.json["failing"] == ["workers"]
        assert starting.json["database"] == "ok" and starting.json["redis"] == "ok"
        alive.append({"worker-1": {"ok": "pong"}})
        now[0] += health.NO_WORKERS_COUNTED_FOR_S  # none counted: counted again a second on
        started = client.get("/healthz")
        assert started.status_code == 200
        assert started.json == {"status": "ok", "database": "ok", "redis": "ok", "workers": 1}
    finally:
        server.stop()

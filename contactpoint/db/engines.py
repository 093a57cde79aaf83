"""The database engines' options: SQLite's writers in turn, PostgreSQL's session settings."""

from __future__ import annotations

from typing import Any

from contactpoint.db import sqlite_writers

# psycopg prepares a statement the fifth time a connection runs it (its own default).
PREPARE_AFTER = 5

# PostgreSQL's settings for every connection of the app. No JIT compilation: it pays off for
# long analytical queries, and this is short transactions; a query whose estimate passes the
# threshold (the outbox sweep's, once there are some 100,000 open cases) spent 314 ms of its
# 455 compiling.
SESSION_SETTINGS = "-c jit=off"


def engine_options(
    url: str, prepared: bool = False, synchronous_commit: str | None = None
) -> dict[str, Any]:
    """Engine options suited to the database: SQLite waits for locks instead of failing,
    its writers in turn on a lock file (`sqlite_writers`);
    psycopg prepares a statement it has run five times, or never (`prepared`), and the
    connection has `SESSION_SETTINGS`, and `synchronous_commit` if given. (A pooled
    PostgreSQL connection is checked before use when it was idle: `ping_after_idle`.)"""
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30, "factory": sqlite_writers.Connection}}
    threshold = PREPARE_AFTER if prepared else None
    settings = SESSION_SETTINGS
    if synchronous_commit:
        settings += f" -c synchronous_commit={synchronous_commit}"
    return {"connect_args": {"prepare_threshold": threshold, "options": settings}}


def sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Each new SQLite connection: the write-ahead log, commits that wait for no fsync (safe
    against a process crash in WAL mode), and foreign keys checked."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()

"""Pooled PostgreSQL connections: checked before use after a pause, replaced when gone."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
import sqlalchemy as sa
from flask import Flask

from contactpoint.config import normalise_database_url
from contactpoint.db.engines import engine_options
from contactpoint.db.statements import run_alone
from contactpoint.extensions import db, ping_after_idle
from tests.conftest import POSTGRES_ADMIN, wait_until

BACKEND_PID = sa.text("SELECT pg_backend_pid()")


@pytest.fixture()
def postgres_url(backend: dict[str, str]) -> str:
    if backend["name"] != "postgresql":
        pytest.skip("a SQLite file has no server to go away")
    return normalise_database_url(backend["database_url"])


def pooled(url: str, idle_s: float) -> Iterator[sa.Engine]:
    engine = sa.create_engine(url, **engine_options(url))
    ping_after_idle(engine, idle_s)
    try:
        yield engine
    finally:
        engine.dispose()


def server_side_of(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(BACKEND_PID))


def end_server_side(pid: int) -> None:
    """What a restart or failover of the server does to a pooled connection."""
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))

        def gone() -> bool:
            row = admin.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (pid,))
            return row.fetchone() == (0,)

        wait_until(gone, timeout_s=10)


def test_an_idle_connection_whose_server_went_away_is_replaced_before_use(
    postgres_url: str,
) -> None:
    for engine in pooled(postgres_url, idle_s=0.0):  # every connection counts as idle
        before = server_side_of(engine)
        end_server_side(before)
        assert server_side_of(engine) != before  # the ping failed: a new connection, no error


def test_a_connection_in_use_a_moment_ago_is_not_checked_again(postgres_url: str) -> None:
    for engine in pooled(postgres_url, idle_s=3600.0):  # every connection counts as fresh
        before = server_side_of(engine)
        end_server_side(before)
        with pytest.raises(sa.exc.OperationalError):  # no ping: the statement meets the loss
            server_side_of(engine)
        assert server_side_of(engine) != before  # and the pool has replaced the connection


def test_no_connection_of_the_app_compiles_a_query_just_in_time(app: Flask) -> None:
    """JIT compilation of a query whose estimate passed its threshold once took longer than
    running the query; and the pool that need not wait for the disk still does not."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite compiles nothing")
        settings = sa.text("SELECT current_setting('jit'), current_setting('synchronous_commit')")
        assert tuple(db.session.execute(settings).one()) == ("off", "on")
        db.session.rollback()
        assert tuple(run_alone(settings)[0]) == ("off", "on")
        assert tuple(run_alone(settings, durable=False)[0]) == ("off", "off")

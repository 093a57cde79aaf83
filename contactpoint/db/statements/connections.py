"""Running prebuilt statements: in the session's transaction, or alone in autocommit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from flask import current_app

from contactpoint.db.engines import PREPARE_AFTER, sqlite_pragmas
from contactpoint.db.statements.read_in_passing import read_in_passing
from contactpoint.extensions import db, own_engine


def run(statement: sa.Executable, **params: Any) -> sa.CursorResult[Any]:
    """Run a prebuilt statement in the session's current transaction."""
    read_in_passing().forget()
    return db.session.connection().execute(statement, params)


def run_many(statement: sa.Executable, rows: list[dict[str, Any]]) -> sa.CursorResult[Any]:
    """Run a prebuilt statement once per row, in one round trip where the driver can."""
    read_in_passing().forget()
    return db.session.connection().execute(statement, rows)


@contextmanager
def outside_transactions(durable: bool = True) -> Iterator[sa.Connection]:
    """A connection on which each statement is a transaction of its own (autocommit): no
    BEGIN, COMMIT or ROLLBACK round trips. Outside the session's transaction, which it
    neither joins nor ends, so it does not see what the session has not committed.

    `durable=False`: commits do not wait for the disk (PostgreSQL's asynchronous commit).
    Only for a mark that work is under way: the process's next commit makes it durable too,
    and losing it to a crash of the database only means the work is done again. Otherwise
    commits wait as the process's own do (in a worker, as CONTACTPOINT_WORKER_SYNCHRONOUS_COMMIT
    says).
    """
    engine = _autocommit_engine(durable)
    with engine.connect() as connection:
        if engine is db.engine:  # SQLite in memory: the app's engine, autocommit for this use
            connection.execution_options(isolation_level="AUTOCOMMIT")
        yield connection


def run_alone(
    statement: sa.Executable, *, durable: bool = True, **params: Any
) -> list[sa.Row[Any]]:
    """Run one statement as a transaction of its own (see `outside_transactions`): a change
    atomic by itself that commits at once, or a read that needs no other snapshot."""
    with outside_transactions(durable) as connection:
        return list(connection.execute(statement, params).all())


def _autocommit_engine(durable: bool) -> sa.Engine:
    """The app's engine for statements outside transactions.

    On PostgreSQL, a pool of its own whose connections are always in autocommit and so never
    send a ROLLBACK, on which psycopg forgets every prepared statement: here the planning of
    a frequent statement, such as the status read's, is done once per connection, in web
    processes too. Not `durable`: commits do not wait for the disk. (SQLite: the app's
    engine, whose commits in WAL mode with synchronous=NORMAL are all like that.)
    """
    if db.engine.dialect.name != "postgresql":
        return _sqlite_autocommit_engine()

    def make() -> sa.Engine:
        options = dict(current_app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        connect = {**options.pop("connect_args", {}), "prepare_threshold": PREPARE_AFTER}
        if not durable:
            connect["options"] = f"{connect.get('options', '')} -c synchronous_commit=off"
        return sa.create_engine(  # no ROLLBACK on return: a connection never holds a transaction
            db.engine.url,
            connect_args=connect,
            isolation_level="AUTOCOMMIT",
            pool_reset_on_return=None,
            **options,
        )

    return own_engine("contactpoint.autocommit" if durable else "contactpoint.async_commit", make)


def _sqlite_autocommit_engine() -> sa.Engine:
    """SQLite: an engine of its own for the same database file, whose connections are in
    autocommit from the start: the app's engine, switched for each use, paid for switching
    and for a PRAGMA to switch back on each return. (An in-memory database is the app
    engine's alone.)"""
    if db.engine.url.database in (None, "", ":memory:"):
        return db.engine

    def make() -> sa.Engine:
        options = dict(current_app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        engine = sa.create_engine(db.engine.url, isolation_level="AUTOCOMMIT", **options)
        sa.event.listen(engine, "connect", sqlite_pragmas)
        return engine

    return own_engine("contactpoint.autocommit", make)


def locks_rows() -> bool:
    """Whether the database locks single rows (SQLite has one writer at a time instead)."""
    return db.engine.dialect.name != "sqlite"

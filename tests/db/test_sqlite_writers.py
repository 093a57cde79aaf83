"""SQLite's writers queue on a lock file: a writer waits for the one before it in the kernel,
not in SQLite's busy handler, and starts the moment it ends."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from contactpoint.db import sqlite_writers
from contactpoint.db.engines import engine_options
from tests.conftest import wait_until

COUNT = sa.text("SELECT count(*) FROM t")
INSERT = sa.text("INSERT INTO t VALUES (:x)")


@pytest.fixture()
def database(tmp_path: Path) -> str:
    path = tmp_path / "writers.db"
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE t (x INTEGER)")
    return str(path)


@contextmanager
def engine(path: str) -> Iterator[sa.Engine]:
    """The app's engine options, except that SQLite's busy handler never waits: whatever
    waits for another writer here is the lock file."""
    url = f"sqlite:///{path}"
    options = engine_options(url)
    options["connect_args"] = {**options["connect_args"], "timeout": 0}
    made = sa.create_engine(url, **options)
    try:
        yield made
    finally:
        made.dispose()


@pytest.fixture()
def waits(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    monkeypatch.setattr(sqlite_writers, "on_wait", seen.append)
    return seen


def test_a_writer_waits_for_the_one_before_it_and_then_writes(
    database: str, waits: list[str]
) -> None:
    with engine(database) as app_engine:
        first = app_engine.connect()
        first.execute(INSERT, {"x": 1})  # a write transaction, open

        plain = sqlite3.connect(database, timeout=0)  # without the lock file: SQLite refuses
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            plain.execute("INSERT INTO t VALUES (9)")
        plain.close()

        outcome: list[str] = []

        def second() -> None:
            try:
                with app_engine.begin() as connection:
                    connection.execute(INSERT, {"x": 2})
                outcome.append("written")
            except sa.exc.OperationalError as error:
                outcome.append(str(error))

        thread = threading.Thread(target=second)
        thread.start()
        wait_until(lambda: bool(waits), timeout_s=10)  # the second waits on the lock file
        assert not outcome
        first.commit()
        first.close()
        thread.join(10)
        assert outcome == ["written"]
        with app_engine.connect() as connection:
            assert connection.scalar(COUNT) == 2
        assert waits == [f"{database}-writers"]


def test_readers_never_wait_for_a_writer(database: str, waits: list[str]) -> None:
    with engine(database) as app_engine:
        with app_engine.begin() as connection:
            connection.execute(INSERT, {"x": 1})
        writer = app_engine.connect()
        writer.execute(INSERT, {"x": 2})
        with app_engine.connect() as reader:
            assert reader.scalar(COUNT) == 1  # the committed row, at once
        writer.rollback()
        writer.close()
        assert waits == []


def test_the_lock_is_let_go_at_commit_rollback_and_after_a_write_in_autocommit(
    database: str,
) -> None:
    with engine(database) as app_engine:

        def holding(connection: sa.Connection) -> bool:
            return bool(connection.connection.dbapi_connection.writers.holding)  # type: ignore[union-attr]

        with app_engine.connect() as connection:
            connection.execute(COUNT)
            assert not holding(connection)  # a read takes nothing
            connection.execute(INSERT, {"x": 1})
            assert holding(connection)
            connection.commit()
            assert not holding(connection)
            connection.execute(INSERT, {"x": 2})
            connection.rollback()
            assert not holding(connection)
        with app_engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT")
            connection.execute(INSERT, {"x": 3})
            assert not holding(connection)
            assert connection.scalar(COUNT) == 2


def test_a_thread_writing_through_a_second_connection_does_not_wait_for_itself(
    database: str,
) -> None:
    with engine(database) as app_engine:
        first = app_engine.connect()
        first.execute(INSERT, {"x": 1})
        with app_engine.connect() as second, pytest.raises(sa.exc.OperationalError):
            second.execute(INSERT, {"x": 2})  # SQLite's own answer, as without the lock file
        first.commit()
        first.close()


HOLDER = """
import sys, sqlalchemy as sa
from contactpoint.db.engines import engine_options
url = "sqlite:///" + sys.argv[1]
engine = sa.create_engine(url, **engine_options(url))
connection = engine.connect()
connection.execute(sa.text("INSERT INTO t VALUES (5)"))
print("holding", flush=True)
sys.stdin.read()
"""


def test_a_writer_that_dies_holding_the_lock_does_not_hold_up_the_others(
    database: str, waits: list[str]
) -> None:
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, database],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        try:
            assert holder.stdout is not None
            assert holder.stdout.readline().strip() == "holding"
            with engine(database) as app_engine:
                done = threading.Event()

                def write() -> None:
                    with app_engine.begin() as connection:
                        connection.execute(INSERT, {"x": 6})
                    done.set()

                thread = threading.Thread(target=write)
                thread.start()
                wait_until(lambda: bool(waits), timeout_s=10)
                holder.send_signal(signal.SIGKILL)  # its transaction and its locks go with it
                thread.join(10)
                assert done.is_set()
                with app_engine.connect() as connection:
                    assert connection.scalar(sa.text("SELECT x FROM t")) == 6
        finally:
            holder.kill()


@pytest.mark.parametrize(
    ("statement", "writes"),
    [
        ("SELECT 1", False),
        ("  select * from cases", False),
        ("PRAGMA foreign_keys=ON", False),
        ("BEGIN", False),
        ("SAVEPOINT sa_savepoint_1", False),
        ("WITH x AS (SELECT 1) SELECT * FROM x", False),
        ("INSERT INTO t VALUES (1)", True),
        ("UPDATE steps SET status = 'done'", True),
        ("DELETE FROM t", True),
        ("WITH x AS (SELECT 1) UPDATE t SET x = 2", True),
        ("BEGIN IMMEDIATE", True),
        ("CREATE TABLE u (x INTEGER)", True),
    ],
)
def test_which_statements_take_the_lock(statement: str, writes: bool) -> None:
    assert sqlite_writers.writes(statement) is writes

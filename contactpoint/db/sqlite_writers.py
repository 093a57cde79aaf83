"""SQLite: a writer waits for the one before it on a lock file, and starts as soon as it ends.

SQLite lets one connection write at a time. One that finds the write lock taken sleeps in
SQLite's busy handler and tries again: after 1 ms, then 2, 5, 10, 15, 20, 25 and up to 100,
however short the other's transaction. With two worker processes on one database the workers
spent about a third of their time in such sleeps at saturation. Here a connection about to
write first takes an exclusive lock (flock) on a file beside the database, which the kernel
hands to the next waiter the moment the holder lets go, and keeps it until its transaction
ends: the writers queue in order instead of polling, and SQLite's own lock is free when
each gets there.

Only writes take it: in WAL mode readers never wait for a writer. A thread already writing
through another connection to the same database does not take it again (that would wait
for itself): that connection waits as before, in SQLite's busy handler.
"""

from __future__ import annotations

import fcntl
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable
from typing import IO, Any

# Statements that never write: everything else takes the lock before it runs.
_READS = re.compile(
    r"\s*(SELECT|PRAGMA|EXPLAIN|VALUES|SAVEPOINT|RELEASE|ROLLBACK|COMMIT|END)\b", re.I
)
_BEGIN_DEFERRED = re.compile(r"\s*BEGIN(\s+DEFERRED)?(\s+TRANSACTION)?\s*;?\s*$", re.I)
_WITH = re.compile(r"\s*WITH\b", re.I)
_CHANGES = re.compile(r"\b(INSERT|UPDATE|DELETE|REPLACE)\b", re.I)

_held = threading.local()  # per thread: the lock files this thread holds, by path

# Called with the lock file's path when a writer has to wait for another (for tests and
# diagnostics).
on_wait: Callable[[str], None] | None = None


def _held_paths() -> set[str]:
    """The lock files this thread holds."""
    if not hasattr(_held, "paths"):
        _held.paths = set()
    return _held.paths


def writes(statement: str) -> bool:
    """Whether `statement` may write (and so needs the writers' lock)."""
    if _BEGIN_DEFERRED.match(statement):
        return False
    if _WITH.match(statement):
        return bool(_CHANGES.search(statement))
    return not _READS.match(statement)


def lock_path(database: str) -> str | None:
    """The writers' lock file of a database file; None for a database in memory."""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return f"{os.path.abspath(database)}-writers"


class WritersLock:
    """One connection's hold on its database's lock file (flock: released by the kernel
    when the process ends, however it ends)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._file: IO[bytes] | None = None
        self._pid = 0
        self.holding = False

    def take(self) -> None:
        if self.holding:
            return
        held = _held_paths()
        if self.path in held:  # this thread writes through another connection: see above
            return
        handle = self._handle()
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait(self.path)
            fcntl.flock(handle, fcntl.LOCK_EX)  # sleeps in the kernel until it is free
        self.holding = True
        held.add(self.path)

    def let_go(self) -> None:
        if not self.holding:
            return
        self.holding = False
        _held_paths().discard(self.path)
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)

    def close(self) -> None:
        self.let_go()
        if self._file is not None:
            self._file.close()
            self._file = None

    def _handle(self) -> IO[bytes]:
        if self._file is None or self._pid != os.getpid():  # a forked child opens its own
            self._file = open(self.path, "ab")  # noqa: SIM115 - kept open while the connection is
            self._pid = os.getpid()
        return self._file


class Connection(sqlite3.Connection):
    """A sqlite3 connection whose writes queue on the database's lock file
    (`sqlite3.connect(path, factory=Connection)`)."""

    def __init__(self, database: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(database, *args, **kwargs)
        path = lock_path(os.fsdecode(database))
        self.writers = WritersLock(path) if path else None

    def cursor(self, factory: Any = None) -> Any:
        return super().cursor(factory or Cursor)

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._after()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._after()

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self.writers is not None:
                self.writers.close()

    def _before(self, statement: str) -> None:
        if self.writers is not None and writes(statement):
            self.writers.take()

    def _after(self) -> None:
        """Let go once no transaction is open: after a commit or rollback, or after a write
        that committed by itself (autocommit)."""
        if self.writers is not None and not self.in_transaction:
            self.writers.let_go()


class Cursor(sqlite3.Cursor):
    connection: Connection

    def execute(self, sql: str, parameters: Any = (), /) -> Cursor:
        self.connection._before(sql)
        try:
            return super().execute(sql, parameters)
        finally:
            self.connection._after()

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any], /) -> Cursor:
        self.connection._before(sql)
        try:
            return super().executemany(sql, seq_of_parameters)
        finally:
            self.connection._after()

    def executescript(self, sql_script: str, /) -> sqlite3.Cursor:
        self.connection._before("script")
        try:
            return super().executescript(sql_script)
        finally:
            self.connection._after()

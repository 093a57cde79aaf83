"""A case's state that a statement read in passing, kept for the next read: one per session.

A step's change in an atomic block reads its case's state in the same statement
(`transition_settling`), and the settling that follows asks for that state
(`SqlStore.case_state`), which then needs no query. What was read is current only until the
session runs another statement: `run` and `run_many` forget it, and so does a change made
another way (`forget`).

It belongs to the session, as the transaction it was read in does: one object under one key
of `session.info`, made on first use and dropped with the session at the end of the app
context. Not on the store, which every thread of a process shares, nor in a module global or
a context variable, which would outlive the session and hand a later one a stale state.
"""

from __future__ import annotations

from typing import Any

from contactpoint.extensions import db

_KEY = "read_in_passing"


class ReadInPassing:
    """One value read in passing, with the key (a case's id) it answers for."""

    __slots__ = ("_kept",)

    def __init__(self) -> None:
        self._kept: tuple[Any, Any] | None = None

    def keep(self, key: Any, value: Any) -> None:
        """Keep what the statement just run read in passing, for the next `take` of `key`."""
        self._kept = (key, value)

    def take(self, key: Any) -> Any:
        """What was kept for `key`, once; None if it was forgotten since, or never kept."""
        found, self._kept = self._kept, None
        return found[1] if found is not None and found[0] == key else None

    def forget(self) -> None:
        """A statement has run, or the case changed: what was kept may no longer be current."""
        self._kept = None


def read_in_passing() -> ReadInPassing:
    """The current session's."""
    info = db.session.info
    found: ReadInPassing | None = info.get(_KEY)
    if found is None:
        found = info[_KEY] = ReadInPassing()
    return found

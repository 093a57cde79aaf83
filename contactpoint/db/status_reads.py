"""The case-status read, the API's most frequent call: one query says whether it changed.

Citizens' pages and agencies' systems ask for a case's status again and again while nothing
has changed. Each web process keeps the JSON it last rendered for a case (per language) with
the case's version; a read costs one indexed query that checks the owner and the version, and
renders again only when the case has changed since. The version is the case's counts of
changes with the time of its last one: after a crash of the database that lost a worker's
last commits, the counts start again from the last commit kept, and a change made again
reaches the same counts at a later time. The version also serves as the ETag, so a
client that sends `If-None-Match` gets `304 Not Modified` without a body.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass

from cachetools import LRUCache
from flask import current_app

from contactpoint.db.models import utc
from contactpoint.db.statements.cases import STATUS_VERSION
from contactpoint.db.statements.connections import run_alone
from contactpoint.extensions import per_app


@dataclass(frozen=True)
class StatusRead:
    """A case's status as JSON, and the version it shows (its ETag)."""

    body: bytes
    version: str


class RenderedStatuses:
    """The JSON last rendered for each case and language, with the version it showed."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._renderings: LRUCache[tuple[str, str], StatusRead] = LRUCache(maxsize=max(size, 1))
        self._lock = threading.Lock()

    def read(
        self, case_id: str, person_id: str, language: str, render: Callable[[], bytes]
    ) -> StatusRead | None:
        """The person's case as JSON; None for a missing case or another person's."""
        found = run_alone(STATUS_VERSION, case_id=case_id)  # no session: a hit needs no more
        row = found[0] if found else None
        if row is None or row.person_id != person_id:
            return None
        # Read before rendering: a rendering is never older than the version it is kept under.
        changed = max(_micros(row.updated_at), _micros(row.steps_updated_at))
        version = f"{row.version}.{row.steps}.{row.step_versions}.{row.last_event or 0}.{changed}"
        key = (case_id, language)
        with self._lock:
            kept = self._renderings.get(key)
        if kept is not None and kept.version == version:
            return kept
        fresh = StatusRead(render(), version)
        if self._size:
            with self._lock:
                self._renderings[key] = fresh
        return fresh


def _micros(moment: dt.datetime | None) -> int:
    """A stored time as microseconds since 1970 (SQLite gives it back without its zone, UTC)."""
    moment = utc(moment)
    return 0 if moment is None else round(moment.timestamp() * 1_000_000)


def rendered_statuses() -> RenderedStatuses:
    """This app's renderings (`STATUS_CACHE_SIZE` cases and languages; 0 renders every read)."""
    size = current_app.config["STATUS_CACHE_SIZE"]
    found: RenderedStatuses = per_app("rendered_statuses", lambda: RenderedStatuses(size))
    return found

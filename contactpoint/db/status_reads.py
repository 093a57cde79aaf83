"""The reads people repeat while nothing has changed: one query says whether it changed.

Citizens' pages and agencies' systems ask for a case's status again and again, and citizens
open My pages again and again, while nothing has changed. Each web process keeps what it last
rendered (per language) with the version it showed; a read costs one indexed query for the
version, and renders again only when it differs.

- A case's status: the version is the case's counts of changes with the time of its last one.
  After a crash of the database that lost a worker's last commits, the counts start again
  from the last commit kept, and a change made again reaches the same counts at a later time.
  The version also serves as the ETag, so a client that sends `If-None-Match` gets `304 Not
  Modified` without a body.
- My pages (`overview_version`): the same counts and times over all of a person's cases and
  steps, the count and latest change of the journeys they have not sent, and the count,
  unread count and latest change of their messages (the header shows the unread count).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache
from flask import current_app

from contactpoint.db.models import utc
from contactpoint.db.statements.cases import OVERVIEW_VERSION, STATUS_VERSION
from contactpoint.db.statements.connections import run_alone
from contactpoint.extensions import per_app


@dataclass(frozen=True)
class StatusRead:
    """What was rendered, and the version it shows (a case status's ETag)."""

    body: bytes
    version: str


class Renderings:
    """What was last rendered under each key, with the version it showed; at most `size`
    keys, the least recently read dropped first (0: keep none)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._kept: LRUCache[Hashable, StatusRead] = LRUCache(maxsize=max(size, 1))
        self._lock = threading.Lock()

    def kept(self, key: Hashable, version: str, render: Callable[[], bytes]) -> StatusRead:
        """The rendering kept under `key` if it shows `version`; else a new one, kept.

        Read the version before rendering: a rendering is never older than its version."""
        with self._lock:
            found = self._kept.get(key)
        if found is not None and found.version == version:
            return found
        fresh = StatusRead(render(), version)
        if self._size:
            with self._lock:
                self._kept[key] = fresh
        return fresh


class RenderedStatuses(Renderings):
    """The JSON last rendered for each case and language, with the version it showed."""

    def read(
        self, case_id: str, person_id: str, language: str, render: Callable[[], bytes]
    ) -> StatusRead | None:
        """The person's case as JSON; None for a missing case or another person's."""
        found = run_alone(STATUS_VERSION, case_id=case_id)  # no session: a hit needs no more
        row = found[0] if found else None
        if row is None or row.person_id != person_id:
            return None
        changed = max(_micros(row.updated_at), _micros(row.steps_updated_at))
        version = f"{row.version}.{row.steps}.{row.step_versions}.{row.last_event or 0}.{changed}"
        return self.kept((case_id, language), version, render)


@dataclass(frozen=True)
class OverviewVersion:
    """The version of what My pages shows a person, and whether the session asking ended."""

    version: str
    session_ended: bool
    unread: int = 0


def overview_version(person_id: str, session_id: str) -> OverviewVersion | None:
    """The version of what My pages shows a person: their cases, steps, unsent journeys and
    messages, with their unread count; None when there is no such person."""
    found: list[Any] = run_alone(OVERVIEW_VERSION, person_id=person_id, session_id=session_id)
    if not found:
        return None
    row = found[0]
    changed = max(_micros(row.cases_at), _micros(row.steps_at))
    version = (
        f"{row.cases}.{row.cases_versions}.{row.steps}.{row.steps_versions}.{changed}"
        f".{row.drafts}.{_micros(row.drafts_at)}"
        f".{row.messages}.{row.unread}.{_micros(row.messages_at)}"
    )
    return OverviewVersion(version, bool(row.ended), int(row.unread))


def _micros(moment: dt.datetime | None) -> int:
    """A stored time as microseconds since 1970 (SQLite gives it back without its zone, UTC)."""
    moment = utc(moment)
    return 0 if moment is None else round(moment.timestamp() * 1_000_000)


def rendered_statuses() -> RenderedStatuses:
    """This app's case statuses (`STATUS_CACHE_SIZE` cases and languages; 0 renders every
    read)."""
    size = current_app.config["STATUS_CACHE_SIZE"]
    found: RenderedStatuses = per_app("rendered_statuses", lambda: RenderedStatuses(size))
    return found


def rendered_pages() -> Renderings:
    """This app's pages kept rendered (`PAGE_CACHE_SIZE`; 0 renders every read)."""
    size = current_app.config["PAGE_CACHE_SIZE"]
    found: Renderings = per_app("rendered_pages", lambda: Renderings(size))
    return found

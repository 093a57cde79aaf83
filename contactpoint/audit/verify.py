"""Checking the chain: every entry's hash recomputed from what it says and the hash before it,
from the latest checkpoint (or the start) to the head, in one snapshot of the database.

The first entry where the chain breaks is named, with what most likely happened to it:

- `changed`: what it says no longer gives its hash (its detail may not open either); or the
  entry after it was linked to another hash of it: it was changed and its hash made again;
- `removed`: a position is missing; or an entry does not follow the one before it and its
  hash does not hold at its position (entries before it removed, the rest renumbered); or the
  head the database recorded, or one published (`published`), lies past the last entry;
- `inserted`: past the head the database recorded, at or below the latest checkpoint, or an
  entry the chain goes on without (the entry after it links to the one before it).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import sqlalchemy as sa

from contactpoint.audit.append import HEAD, Head
from contactpoint.audit.chain import CONTENT, GENESIS, entry_hash
from contactpoint.audit.head import current_head
from contactpoint.db.models import AuditCheckpoint, AuditEntry, utc
from contactpoint.db.protection import UnreadableData, open_detail

ENTRIES: sa.Table = AuditEntry.__table__
CHECKPOINTS: sa.Table = AuditCheckpoint.__table__
PAGE = 1000


@dataclass(frozen=True)
class Link:
    """One entry as stored: its place, its hashes and what it says (None if its detail does
    not open, with the reason in `unreadable`)."""

    id: int
    position: int
    previous_hash: str
    entry_hash: str
    content: dict[str, Any] | None
    unreadable: str | None = None

    def holds(self, previous: str | None = None) -> bool:
        """Whether its hash is that of what it says at its position, after `previous` (by
        default the hash it names as the one before it)."""
        if self.content is None:
            return False
        before = self.previous_hash if previous is None else previous
        return entry_hash(before, self.position, self.content) == self.entry_hash


@dataclass(frozen=True)
class Break:
    """Where the chain first breaks: how, at which position and entry (None if removed)."""

    kind: str  # changed, removed, inserted
    position: int
    id: int | None
    message: str


@dataclass(frozen=True)
class Verdict:
    """What a check found: how many entries held, the last that did (or the checkpoint), the
    chain's head as stored (`head.current_head`, the same when it holds), the latest
    checkpoint, the published heads it compared, the break."""

    checked: int
    held_to: Head
    head: Head
    checkpoint: dict[str, Any] | None
    published: list[dict[str, Any]]
    broken: Break | None

    @property
    def holds(self) -> bool:
        """Whether the chain holds."""
        return self.broken is None

    def as_dict(self) -> dict[str, Any]:
        """The verdict as JSON-able data."""
        return {
            "holds": self.holds,
            "checked": self.checked,
            "head": {"position": self.head.position, "hash": self.head.entry_hash},
            "held_to": {"position": self.held_to.position, "hash": self.held_to.entry_hash},
            "checkpoint": self.checkpoint,
            "published": self.published,
            "broken": asdict(self.broken) if self.broken else None,
        }


def _link(row: Any) -> Link:
    content = {name: getattr(row, name) for name in CONTENT}
    try:
        content["detail"] = open_detail(row.detail) if isinstance(row.detail, dict) else {}
    except UnreadableData as error:
        return Link(row.id, row.position, row.previous_hash, row.entry_hash, None, str(error))
    return Link(row.id, row.position, row.previous_hash, row.entry_hash, content)


def _links(connection: sa.Connection, after: int) -> Iterator[Link]:
    """The entries past position `after`, in order, a page at a time (keyset)."""
    columns = [c for c in ENTRIES.c if c.name != "detail"]
    raw_detail = sa.type_coerce(ENTRIES.c.detail, sa.JSON).label("detail")  # opened here
    while True:
        rows = connection.execute(
            sa.select(*columns, raw_detail)
            .where(ENTRIES.c.position > after)
            .order_by(ENTRIES.c.position)
            .limit(PAGE)
        ).all()
        for row in rows:
            yield _link(row)
        if len(rows) < PAGE:
            return
        after = rows[-1].position


def _snapshot(connection: sa.Connection) -> sa.Connection:
    """The connection, every read of its transaction from one snapshot while appends and
    retention go on: PostgreSQL's REPEATABLE READ; SQLite's read transaction, which sees the
    database as its first read found it (WAL)."""
    if connection.dialect.name == "postgresql":
        return connection.execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        )
    connection.exec_driver_sql("BEGIN")
    return connection


class _Walk:
    """One pass along the chain, with what it needs to say where and how it broke."""

    def __init__(self, start: Head, recorded: Head, published: Mapping[int, str]) -> None:
        self.head, self.recorded, self.published = start, recorded, published
        self.before: str | None = None  # the hash before the head's entry
        self.last: Link | None = None
        self.checked = 0
        self.compared: list[dict[str, Any]] = []

    def step(self, link: Link, following: Link | None) -> Break | None:
        """Check one entry after the head so far; None if it holds and follows it."""
        expected = self.head.position + 1
        if link.position > self.recorded.position:
            return Break("inserted", link.position, link.id,
                         f"entry {link.id} at position {link.position} lies past the head the"
                         f" database recorded (position {self.recorded.position})")  # fmt: skip
        if link.position > expected:
            missing = f"positions {expected} to {link.position - 1} are missing"
            return Break("removed", expected, None,
                         f"{missing}: the entry before entry {link.id} (position"
                         f" {link.position}) was removed")  # fmt: skip
        if link.previous_hash != self.head.entry_hash or not link.holds():
            return self._diagnose(link, following)
        wanted = self.published.get(link.position)
        if wanted is not None:
            if not link.entry_hash.startswith(wanted):
                return Break("changed", link.position, link.id,
                             f"entry {link.id} at position {link.position} does not have the"
                             f" hash published for it ({wanted}): the chain was rewritten at or"
                             " before it")  # fmt: skip
            self.compared.append({"position": link.position, "hash": wanted, "found": "matches"})
        self.before, self.last = self.head.entry_hash, link
        self.head = Head(link.position, link.entry_hash)
        self.checked += 1
        return None

    def _diagnose(self, link: Link, following: Link | None) -> Break:
        linked = link.previous_hash == self.head.entry_hash
        where = f"entry {link.id} at position {link.position}"
        if not linked and self.last is not None and link.previous_hash == self.before:
            last = self.last
            return Break("inserted", last.position, last.id,
                         f"entry {last.id} at position {last.position} was inserted: the entry"
                         " after it links to the one before it")  # fmt: skip
        if following is not None and following.previous_hash == self.head.entry_hash:
            return Break("inserted", link.position, link.id,
                         f"{where} was inserted: the entry after it links to the one before"
                         " it")  # fmt: skip
        if linked:
            why = f" (its detail does not open: {link.unreadable})" if link.unreadable else ""
            said = f"{where} was changed: what it says no longer gives its hash{why}"
            return Break("changed", link.position, link.id, said)
        if link.holds() and self.last is not None:
            last = self.last
            return Break("changed", last.position, last.id,
                         f"entry {last.id} at position {last.position} was changed and its hash"
                         " made again: the entry after it was linked to another hash")  # fmt: skip
        before = "entry" if self.last else "checkpoint"
        return Break("removed", link.position, None,
                     f"{where} does not follow the {before} before it: an entry before it was"
                     " removed and those after renumbered")  # fmt: skip

    def end(self) -> Break | None:
        """What the chain's end says: the recorded head reached, no published head past it."""
        after = self.head.position + 1
        if self.recorded.position > self.head.position:
            return Break("removed", after, None,
                         f"the chain ends at position {self.head.position}, but the database"
                         f" recorded its head at position {self.recorded.position}: entries"
                         " were removed from its end")  # fmt: skip
        if self.recorded.entry_hash != self.head.entry_hash and self.last is not None:
            return Break("changed", self.last.position, self.last.id,
                         f"entry {self.last.id} at position {self.last.position} is not the"
                         " head the database recorded: it was changed and its hash made"
                         " again")  # fmt: skip
        beyond = sorted(position for position in self.published if position > self.head.position)
        if beyond:
            return Break("removed", after, None,
                         f"a head was published at position {beyond[0]}, past the chain's last"
                         f" entry (position {self.head.position}): entries were removed from"
                         " its end")  # fmt: skip
        return None


def verify(connection: sa.Connection, published: Mapping[int, str] | None = None) -> Verdict:
    """Walk the chain in one snapshot; `published` maps positions to the hashes (or their
    first hex digits) published for them, which the chain must pass through."""
    published = {position: value.lower() for position, value in (published or {}).items()}
    connection = _snapshot(connection)
    try:
        checkpoint = connection.execute(
            sa.select(CHECKPOINTS).order_by(CHECKPOINTS.c.position.desc()).limit(1)
        ).first()
        start = Head(checkpoint.position, checkpoint.entry_hash) if checkpoint else Head(0, GENESIS)
        row = connection.execute(sa.select(HEAD.c.position, HEAD.c.entry_hash)).first()
        recorded = Head(int(row.position), str(row.entry_hash)) if row else start
        walk = _Walk(start, recorded, published)
        compared, broken = _compare_below(start, published)
        broken = broken or _stray(connection, start)
        if broken is None:
            links = _links(connection, start.position)
            link = next(links, None)
            while link is not None and broken is None:
                following = next(links, None)
                broken = walk.step(link, following)
                link = following
            broken = broken or walk.end()
        stored = current_head(connection)
    finally:
        connection.rollback()
    described = None
    if checkpoint is not None:
        described = {"position": checkpoint.position, "hash": checkpoint.entry_hash,
                     "at": _iso(checkpoint.at), "entry_at": _iso(checkpoint.entry_at),
                     "removed": checkpoint.removed}  # fmt: skip
    return Verdict(walk.checked, walk.head, stored, described, compared + walk.compared, broken)


def _stray(connection: sa.Connection, start: Head) -> Break | None:
    """An entry at or below the latest checkpoint, which retention removed: inserted since."""
    row = connection.execute(
        sa.select(ENTRIES.c.id, ENTRIES.c.position)
        .where(ENTRIES.c.position <= start.position)
        .order_by(ENTRIES.c.position)
        .limit(1)
    ).first()
    if row is None:
        return None
    return Break("inserted", row.position, row.id,
                 f"entry {row.id} at position {row.position} lies at or below the checkpoint"
                 f" at position {start.position}, whose entries were removed")  # fmt: skip


def _compare_below(
    start: Head, published: Mapping[int, str]
) -> tuple[list[dict[str, Any]], Break | None]:
    """The published heads at or below the latest checkpoint: retention removed their entries,
    but the checkpoint's own hash is compared."""
    compared: list[dict[str, Any]] = []
    for position in sorted(p for p in published if p <= start.position):
        if position == start.position and not start.entry_hash.startswith(published[position]):
            return compared, Break("changed", position, None,
                                   f"the checkpoint at position {position} does not have the"
                                   f" hash published for it ({published[position]}): the chain"
                                   " was rewritten at or before it")  # fmt: skip
        found = "matches" if position == start.position else "removed by retention"
        compared.append({"position": position, "hash": published[position], "found": found})
    return compared, None


def _iso(moment: Any) -> str | None:
    value = utc(moment)
    return value.isoformat() if value is not None else None

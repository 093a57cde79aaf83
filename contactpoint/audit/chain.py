"""What an entry's hash covers, and how it is computed.

An entry's hash is SHA-256 over one line of canonical JSON (keys sorted, no spaces, UTF-8,
as `json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False)`):

    {"action", "actor", "agency", "at", "case_id", "chain", "detail", "position",
     "previous", "role", "step_id"}

- `chain` is `VERSION`, so a later form of the hash can never be taken for this one;
- `position` is the entry's place in the chain (1, 2, …) and `previous` the hash of the entry
  before it: `GENESIS` for the first, the checkpoint's hash for the first after retention;
- `at` is the moment in UTC to the microsecond, as both databases store it
  (`2026-11-24T12:00:00.123456Z`);
- `detail` is the detail as it reads, its free text open, not as it is stored sealed: sealing
  the words again under a new key (`contactpoint reseal`) changes how they are stored, with a
  fresh nonce, but not what they say, and leaves the chain whole;
- the row's `id` is not covered: it is the database's handle for the row, given after the
  hash; the chain orders entries by `position`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import Any

VERSION = "kontaktpunkt-audit/1"
GENESIS = "0" * 64
# What an entry says, besides its place in the chain.
CONTENT = ("at", "actor", "role", "agency", "action", "case_id", "step_id", "detail")


def moment(at: dt.datetime) -> str:
    """A stored time as the hash covers it: UTC, to the microsecond (SQLite gives back naive
    times that were written in UTC)."""
    aware = at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(previous: str, position: int, content: Mapping[str, Any]) -> bytes:
    """The bytes an entry's hash is taken over."""
    document = {name: content.get(name) for name in CONTENT}
    document.update(
        at=moment(content["at"]),
        detail=content.get("detail") or {},
        chain=VERSION,
        position=position,
        previous=previous,
    )
    text = json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return text.encode("utf-8")


def entry_hash(previous: str, position: int, content: Mapping[str, Any]) -> str:
    """The hash of an entry that says `content`, at `position`, after the entry whose hash is
    `previous`: SHA-256 in hex."""
    return hashlib.sha256(canonical(previous, position, content)).hexdigest()

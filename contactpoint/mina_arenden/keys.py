"""The forwarding service's API keys: held as digests, compared in constant time.

`MINA_ARENDEN_API_KEYS` lists them comma-separated, so a new key can be added before the old one
is removed. Only their SHA-256 digests stay in memory (a key is long and random, so a plain
digest is enough: nothing to guess from it); a key given is compared with every digest, each in
constant time, so neither the time nor the order tells which one came close.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

# The shortest key accepted (`secrets.token_urlsafe(32)` gives 43 characters).
MIN_KEY_LENGTH = 32


def key_digest(key: str) -> str:
    """How a key is held: its SHA-256 digest, in hex."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def key_digests(keys: Iterable[str]) -> tuple[str, ...]:
    """The digests of these keys, in their order."""
    return tuple(key_digest(key) for key in keys)


def matching_key(given: str | None, digests: Iterable[str]) -> int | None:
    """The place (1, 2, …) of the configured key that `given` is, or None; every digest is
    compared, whichever matches."""
    if not given:
        return None
    digest = key_digest(given)
    found = None
    for place, held in enumerate(digests, start=1):
        if hmac.compare_digest(digest, held) and found is None:
            found = place
    return found

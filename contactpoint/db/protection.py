"""Personal data protected at rest: what the database holds of it is ciphertext.

A personal identity number identifies a person in every register of the country, so it is
never stored in clear: not the citizen's own (`people`), not the one of the person they act
for (`cases.on_behalf_of`), and not those among their answers (a child's, the deceased's),
which are stored whole, with the rest of the answers (`cases.answers`, `drafts.answers`).
Nor is the free text an officer, an agency and the citizen write to each other about a step,
where anyone may be named: the question and the answer of a complement
(`steps.complement_question`, `steps.complement_answer`), the reason a step was rejected or
could not be done (`steps.status_reason`), and the same words where the timeline and the
audit trail repeat them (`reason`, `question` and `answer` in `case_events.detail` and
`audit_entries.detail`; the rest of a detail is ids, kinds and times, and stays readable to
SQL). A copy of the database, a backup or a replica, reads as noise without the key.

- A personal identity number is sealed deterministically (AES-SIV): the same number gives
  the same ciphertext, so a login still finds its person by equality, through the unique
  index, and the number stays unique. That reveals only that two rows hold the same number.
- Answers and free text are sealed with a fresh nonce each time (AES-GCM).

Both keys come from one secret, `PERSONAL_DATA_KEY` (HKDF, one key per use). Each sealed
value names the key it was sealed with (the first bytes of a digest of the secret). A new
secret takes over with the former ones in `PERSONAL_DATA_OLD_KEYS`: values sealed under them
still open, a number is looked for under each, and `reseal` seals everything again under
the new one, after which the old ones can go. A value sealed under a key that is neither is
refused with a message that names it, never read as garbage.

The columns' types (`sealed_types`) seal and open on their own: the ORM, Core statements and
their results need nothing more. Statements that take rows as JSON seal them with
`sealed_types.stored_row`. `reseal` seals what is stored again. This module holds the keys,
and what seals and opens one value.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

_NUMBER, _ANSWERS = "pn", "an"


class UnreadableData(RuntimeError):
    """A sealed value that no key configured can open: sealed under another, or altered."""


class _Keys:
    """The ciphers of one secret, and its id in the values it seals."""

    def __init__(self, secret: str) -> None:
        material = secret.encode()
        self.id = base64.urlsafe_b64encode(hashlib.sha256(material).digest()[:3]).decode()
        self.numbers = AESSIV(_derive(material, 64, b"kontaktpunkt personal identity numbers"))
        self.answers = AESGCM(_derive(material, 32, b"kontaktpunkt answers"))


def _derive(material: bytes, length: int, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=purpose).derive(material)


class _Keyring:
    """The key that seals, and every key that opens: it and the former ones."""

    def __init__(self, current: str, former: tuple[str, ...]) -> None:
        self.current = _Keys(current)
        self.by_id = {keys.id: keys for keys in map(_Keys, former)}
        self.by_id[self.current.id] = self.current

    def opening(self, kind: str, value: str) -> tuple[_Keys, bytes]:
        """The keys that sealed `value`, and its sealed bytes."""
        found, key_id, body = (value.split(".", 2) + ["", ""])[:3]
        if found != kind:
            raise UnreadableData(f"not a sealed value of kind {kind!r}")
        keys = self.by_id.get(key_id)
        if keys is None:
            raise UnreadableData(
                f"sealed under key {key_id!r}, which is neither PERSONAL_DATA_KEY"
                f" ({self.current.id!r}) nor one of PERSONAL_DATA_OLD_KEYS"
            )
        return keys, base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))


@lru_cache(maxsize=8)
def _keyring_of(current: str, former: tuple[str, ...]) -> _Keyring:
    return _Keyring(current, former)


def _keyring(secret: str | None = None) -> _Keyring:
    """The keys of `secret` alone, or the app's (PERSONAL_DATA_KEY, PERSONAL_DATA_OLD_KEYS)."""
    if secret:
        return _keyring_of(secret, ())
    config = current_app.config
    return _keyring_of(config["PERSONAL_DATA_KEY"], tuple(config["PERSONAL_DATA_OLD_KEYS"]))


def _encode(kind: str, keys: _Keys, sealed: bytes) -> str:
    return f"{kind}.{keys.id}.{base64.urlsafe_b64encode(sealed).decode().rstrip('=')}"


def _seal_number(keys: _Keys, number: str) -> str:
    return _encode(_NUMBER, keys, keys.numbers.encrypt(number.encode(), [_NUMBER.encode()]))


def seal_number(number: str, secret: str | None = None) -> str:
    """A personal identity number as stored: the same number, the same value (under the
    app's key, or `secret`)."""
    return _seal_number(_keyring(secret).current, number)


def sealings(number: str) -> list[str]:
    """The values that may store `number`: sealed under each key that opens, the current first."""
    ring = _keyring()
    return [_seal_number(ring.current, number)] + [
        _seal_number(keys, number) for keys in ring.by_id.values() if keys is not ring.current
    ]


def current_prefix(numbers: bool) -> str:
    """How every value sealed under PERSONAL_DATA_KEY starts: a number's, or else answers'."""
    return f"{_NUMBER if numbers else _ANSWERS}.{_keyring().current.id}."


def open_number(value: str) -> str:
    """The personal identity number a stored value seals."""
    keys, sealed = _keyring().opening(_NUMBER, value)
    try:
        return keys.numbers.decrypt(sealed, [_NUMBER.encode()]).decode()
    except InvalidTag as error:
        raise UnreadableData("a personal identity number that does not open") from error


def seal_answers(answers: Any) -> str:
    """Answers (JSON-able) as stored: a fresh nonce each time."""
    keys = _keyring().current
    nonce = os.urandom(12)
    plain = json.dumps(answers, separators=(",", ":"), ensure_ascii=False).encode()
    return _encode(_ANSWERS, keys, nonce + keys.answers.encrypt(nonce, plain, _ANSWERS.encode()))


def open_answers(value: str) -> Any:
    """The answers a stored value seals."""
    keys, sealed = _keyring().opening(_ANSWERS, value)
    try:
        plain = keys.answers.decrypt(sealed[:12], sealed[12:], _ANSWERS.encode())
    except InvalidTag as error:
        raise UnreadableData("answers that do not open") from error
    return json.loads(plain)


# The entries of a detail (a timeline line's, an audit entry's) that hold free text.
FREE_TEXT = ("reason", "question", "answer")


def seal_detail(detail: dict[str, Any]) -> dict[str, Any]:
    """A detail as stored: its free text sealed, each entry by itself, the rest as it is."""
    return _free_text_through(detail, seal_answers)


def open_detail(detail: dict[str, Any]) -> dict[str, Any]:
    """A stored detail with its free text opened."""
    return _free_text_through(detail, open_answers)


def _free_text_through(detail: dict[str, Any], change: Callable[[Any], Any]) -> dict[str, Any]:
    """`detail` with each of its free text entries through `change`; itself if it has none."""
    if not any(isinstance(detail.get(name), str) for name in FREE_TEXT):
        return detail
    return {
        name: change(value) if name in FREE_TEXT and isinstance(value, str) else value
        for name, value in detail.items()
    }


@lru_cache(maxsize=4)
def _number_digest_key(secret: str) -> bytes:
    return _derive(secret.encode(), 32, b"kontaktpunkt number keys")


def number_keys(numbers: list[str]) -> list[str]:
    """A keyed digest of each personal identity number (keyed BLAKE2b under a key derived from
    PERSONAL_DATA_KEY, 128 bits): a message's key can name the person it is about without
    holding their number."""
    secret = _number_digest_key(current_app.config["PERSONAL_DATA_KEY"])
    return [hashlib.blake2b(n.encode(), key=secret, digest_size=16).hexdigest() for n in numbers]


def address_key(email: str) -> str:
    """A keyed digest of an e-mail address (case-folded): the same address, the same key, so
    two addresses are told apart without reading either (HMAC under PERSONAL_DATA_KEY)."""
    secret = _derive(
        current_app.config["PERSONAL_DATA_KEY"].encode(), 32, b"kontaktpunkt addresses"
    )
    return hmac.new(secret, email.strip().casefold().encode(), hashlib.sha256).hexdigest()

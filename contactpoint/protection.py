"""Personal data protected at rest: what the database holds of it is ciphertext.

A personal identity number identifies a person in every register of the country, so it is
never stored in clear: not the citizen's own (`people`), not the one of the person they act
for (`cases.on_behalf_of`), and not those among their answers (a child's, the deceased's),
which are stored whole, with the rest of the answers (`cases.answers`, `drafts.answers`). A
copy of the database, a backup or a replica, reads as noise without the key.

- A personal identity number is sealed deterministically (AES-SIV): the same number gives
  the same ciphertext, so a login still finds its person by equality, through the unique
  index, and the number stays unique. That reveals only that two rows hold the same number.
- Answers are sealed with a fresh nonce each time (AES-GCM).

Both keys come from one secret, `PERSONAL_DATA_KEY` (HKDF, one key per use). Each sealed
value names the key it was sealed with (the first bytes of a digest of the secret), so a
value sealed under another key is refused with a message that says so, not read as garbage.
The columns' types seal and open on their own: the ORM, Core statements and their results
need nothing more. Statements that take rows as JSON seal them with `stored_row`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

# A sealed personal identity number: "pn.<key id>.<base64url of SIV tag and ciphertext>",
# 51 characters for the 13 of a number with its century and hyphen.
NUMBER_LENGTH = 64
_NUMBER, _ANSWERS = "pn", "an"


class UnreadableData(RuntimeError):
    """A sealed value that this key cannot open: sealed under another key, or altered."""


class _Keys:
    """The ciphers of one secret, and its id in the values it seals."""

    def __init__(self, secret: str) -> None:
        material = secret.encode()
        self.id = base64.urlsafe_b64encode(hashlib.sha256(material).digest()[:3]).decode()
        self.numbers = AESSIV(_derive(material, 64, b"kontaktpunkt personal identity numbers"))
        self.answers = AESGCM(_derive(material, 32, b"kontaktpunkt answers"))


def _derive(material: bytes, length: int, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=purpose).derive(material)


@lru_cache(maxsize=4)
def _keys_of(secret: str) -> _Keys:
    return _Keys(secret)


def _keys(secret: str | None = None) -> _Keys:
    """The ciphers of `secret`, or of the app's PERSONAL_DATA_KEY."""
    return _keys_of(secret or current_app.config["PERSONAL_DATA_KEY"])


def _encode(kind: str, keys: _Keys, sealed: bytes) -> str:
    return f"{kind}.{keys.id}.{base64.urlsafe_b64encode(sealed).decode().rstrip('=')}"


def _decode(kind: str, keys: _Keys, value: str) -> bytes:
    found, key_id, body = (value.split(".", 2) + ["", ""])[:3]
    if found != kind:
        raise UnreadableData(f"not a sealed value of kind {kind!r}")
    if key_id != keys.id:
        raise UnreadableData(f"sealed under key {key_id!r}; PERSONAL_DATA_KEY is key {keys.id!r}")
    return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))


def seal_number(number: str, secret: str | None = None) -> str:
    """A personal identity number as stored: the same number, the same value (under the
    app's key, or `secret`)."""
    keys = _keys(secret)
    return _encode(_NUMBER, keys, keys.numbers.encrypt(number.encode(), [_NUMBER.encode()]))


def open_number(value: str) -> str:
    """The personal identity number a stored value seals."""
    keys = _keys()
    try:
        return keys.numbers.decrypt(_decode(_NUMBER, keys, value), [_NUMBER.encode()]).decode()
    except InvalidTag as error:
        raise UnreadableData("a personal identity number that does not open") from error


def seal_answers(answers: Any) -> str:
    """Answers (JSON-able) as stored: a fresh nonce each time."""
    keys = _keys()
    nonce = os.urandom(12)
    plain = json.dumps(answers, separators=(",", ":"), ensure_ascii=False).encode()
    return _encode(_ANSWERS, keys, nonce + keys.answers.encrypt(nonce, plain, _ANSWERS.encode()))


def open_answers(value: str) -> Any:
    """The answers a stored value seals."""
    keys = _keys()
    sealed = _decode(_ANSWERS, keys, value)
    try:
        plain = keys.answers.decrypt(sealed[:12], sealed[12:], _ANSWERS.encode())
    except InvalidTag as error:
        raise UnreadableData("answers that do not open") from error
    return json.loads(plain)


class PersonalNumber(sa.TypeDecorator[str]):
    """A column of personal identity numbers, sealed (`seal_number`); compared by equality."""

    impl = sa.String(NUMBER_LENGTH)
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else seal_number(value)

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else open_number(value)


class SealedAnswers(sa.TypeDecorator[Any]):
    """A column of answers (a JSON object), sealed (`seal_answers`); never looked into by SQL."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else seal_answers(value)

    def process_result_value(self, value: str | None, dialect: Any) -> Any:
        return None if value is None else open_answers(value)


def stored_row(table: sa.Table, row: dict[str, Any]) -> dict[str, Any]:
    """A row of column values as `table` stores them, sealed where its columns seal, for a
    statement that takes rows as JSON and so passes no value through the columns' types."""
    sealed = dict(row)
    for name, value in row.items():
        kind = table.c[name].type
        if isinstance(kind, PersonalNumber | SealedAnswers):
            sealed[name] = kind.process_bind_param(value, None)
    return sealed

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

The columns' types seal and open on their own: the ORM, Core statements and their results
need nothing more. Statements that take rows as JSON seal them with `stored_row`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
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


class PersonalNumber(sa.TypeDecorator[str]):
    """A column of personal identity numbers, sealed (`seal_number`). Compared with a number,
    or a list of them, it matches the values that seal it under every key that opens."""

    impl = sa.String(NUMBER_LENGTH)
    cache_ok = True

    class comparator_factory(sa.TypeDecorator.Comparator[str]):  # noqa: N801 (SQLAlchemy's name)
        def __eq__(self, other: Any) -> Any:  # type: ignore[override]
            if isinstance(other, str):
                return self._sealing_any([other])
            return super().__eq__(other)

        def in_(self, other: Any) -> Any:
            if isinstance(other, list | tuple) and all(isinstance(n, str) for n in other):
                return self._sealing_any(other)
            return super().in_(other)

        def _sealing_any(self, numbers: Iterable[str]) -> Any:
            stored = sa.type_coerce(self.expr, sa.String)  # compared as stored, not sealed again
            values = [value for number in numbers for value in sealings(number)]
            return stored == values[0] if len(values) == 1 else stored.in_(values)

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else seal_number(value)

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else open_number(value)


class SealedAnswers(sa.TypeDecorator[Any]):
    """A column of answers (a JSON object) or free text, sealed (`seal_answers`); never looked
    into by SQL."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else seal_answers(value)

    def process_result_value(self, value: str | None, dialect: Any) -> Any:
        return None if value is None else open_answers(value)


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


class SealedDetail(sa.TypeDecorator[Any]):
    """A JSON object whose free text (`FREE_TEXT`) is sealed (`seal_detail`)."""

    impl = sa.JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        return seal_detail(value) if isinstance(value, dict) else value

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        return open_detail(value) if isinstance(value, dict) else value


def seals(column: sa.ColumnElement[Any]) -> bool:
    """Whether the column's values are sealed at rest, or hold sealed values."""
    return isinstance(column.type, PersonalNumber | SealedAnswers | SealedDetail)


def stored_row(table: sa.Table, row: dict[str, Any]) -> dict[str, Any]:
    """A row of column values as `table` stores them, sealed where its columns seal, for a
    statement that passes no value through the columns' types (rows as JSON, or the
    driver's own batches)."""
    sealed = dict(row)
    for name, value in row.items():
        if seals(table.c[name]):
            sealed[name] = table.c[name].type.process_bind_param(value, None)
    return sealed


# Every sealed column: table, column, and whether it holds numbers (else answers).
SEALED_COLUMNS = (
    ("people", "personal_number", True),
    ("cases", "on_behalf_of", True),
    ("cases", "answers", False),
    ("drafts", "answers", False),
    ("steps", "complement_question", False),
    ("steps", "complement_answer", False),
    ("steps", "status_reason", False),
)
# Every column of details with sealed free text (`SealedDetail`).
SEALED_DETAILS = (("case_events", "detail"), ("audit_entries", "detail"))
CHUNK = 1000


def rewrite(
    connection: sa.Connection,
    table: str,
    column: str,
    change: Callable[[Any], Any],
    keep: str | None = None,
    commit: bool = False,
) -> int:
    """Every non-null value of `table.column` through `change`, a chunk of rows at a time
    (keyset by id), but those starting with `keep`; returns how many changed. A value changed
    by someone else meanwhile is left as they wrote it. `commit` commits each chunk."""
    kept = f" AND substr({column}, 1, {len(keep)}) <> :keep" if keep else ""
    read = sa.text(
        f"SELECT id, {column} FROM {table} WHERE id > :after AND {column} IS NOT NULL{kept}"
        " ORDER BY id LIMIT :chunk"
    )
    write = sa.text(f"UPDATE {table} SET {column} = :new WHERE id = :id AND {column} = :old")
    after, changed = "", 0
    while rows := connection.execute(read, {"after": after, "chunk": CHUNK, "keep": keep}).all():
        changes = [{"id": key, "old": value, "new": change(value)} for key, value in rows]
        changed += connection.execute(write, changes).rowcount
        if commit:
            connection.commit()
        after = rows[-1][0]
    return changed


# Tables whose rows the database keeps from change, by the trigger that refuses it.
APPEND_ONLY = {"audit_entries": "audit_entries_append_only"}


@contextmanager
def _open_to_change(connection: sa.Connection, table: str) -> Iterator[None]:
    """`table`'s rows open to change within this transaction alone, if the database keeps
    them append-only: sealing words again (under a new key, or for the first time) changes
    how they are stored, not what they say. No other transaction ever sees the guard
    lifted: PostgreSQL's ALTER TABLE holds the table's lock until the commit, which puts
    the guard back, and SQLite has one writer."""
    trigger = APPEND_ONLY.get(table)
    if trigger is None:
        yield
        return
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
        yield
        connection.exec_driver_sql(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
        return
    found = sa.text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :name")
    created = connection.execute(found, {"name": trigger}).scalar()
    if created is not None:
        connection.exec_driver_sql(f"DROP TRIGGER {trigger}")
    yield
    if created is not None:
        connection.exec_driver_sql(created)


def rewrite_details(
    connection: sa.Connection,
    table: str,
    column: str,
    change: Callable[[dict[str, Any]], dict[str, Any] | None],
    commit: bool = False,
    also: tuple[str, ...] = (),
) -> int:
    """Every detail in `table.column` that has free text (`FREE_TEXT`), or an entry named in
    `also`, through `change`, a chunk of rows at a time (keyset by id), as `rewrite` does;
    `change` answers None to leave a detail as it is. Returns how many changed."""
    postgresql = connection.dialect.name == "postgresql"
    has = " OR ".join(
        f"{column}->>'{name}' IS NOT NULL"
        if postgresql
        else f"json_extract({column}, '$.{name}') IS NOT NULL"
        for name in (*FREE_TEXT, *also)
    )
    read = sa.text(
        f"SELECT id, {column} FROM {table} WHERE id > :after AND ({has}) ORDER BY id LIMIT :chunk"
    )
    new = "CAST(:new AS json)" if postgresql else ":new"
    write = sa.text(f"UPDATE {table} SET {column} = {new} WHERE id = :id")
    after, changed = -1, 0
    while rows := connection.execute(read, {"after": after, "chunk": CHUNK}).all():
        changes = []
        for key, value in rows:
            detail = json.loads(value) if isinstance(value, str) else value
            if (result := change(detail)) is not None:
                changes.append({"id": key, "new": json.dumps(result, ensure_ascii=False)})
        if changes:
            with _open_to_change(connection, table):
                changed += connection.execute(write, changes).rowcount
        if commit:
            connection.commit()
        after = rows[-1][0]
    return changed


def reseal(connection: sa.Connection) -> dict[str, int]:
    """Seal again under PERSONAL_DATA_KEY every value sealed under one of
    PERSONAL_DATA_OLD_KEYS, committing as it goes (it can be stopped and run again);
    returns how many values of each column it sealed again."""
    current = _keyring().current
    done = {}
    for table, column, numbers in SEALED_COLUMNS:
        kind = _NUMBER if numbers else _ANSWERS
        again: Callable[[Any], Any] = (
            (lambda value: seal_number(open_number(value)))
            if numbers
            else (lambda value: seal_answers(open_answers(value)))
        )
        keep = f"{kind}.{current.id}."
        done[f"{table}.{column}"] = rewrite(connection, table, column, again, keep, commit=True)

    def detail_again(detail: dict[str, Any]) -> dict[str, Any] | None:
        texts = [detail[name] for name in FREE_TEXT if isinstance(detail.get(name), str)]
        if all(text.startswith(f"{_ANSWERS}.{current.id}.") for text in texts):
            return None
        return seal_detail(open_detail(detail))

    for table, column in SEALED_DETAILS:
        done[f"{table}.{column}"] = rewrite_details(
            connection, table, column, detail_again, commit=True
        )
    return done

"""Sealing stored values again, in chunks of rows: under a new key, or for the first time."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, cast

import sqlalchemy as sa

from contactpoint.db.protection import (
    FREE_TEXT,
    current_prefix,
    open_answers,
    open_detail,
    open_number,
    seal_answers,
    seal_detail,
    seal_number,
)

# Every sealed column: table, column, and whether it holds numbers (else answers).
SEALED_COLUMNS = (
    ("people", "personal_number", True),
    ("cases", "on_behalf_of", True),
    ("cases", "answers", False),
    ("drafts", "answers", False),
    ("steps", "complement_question", False),
    ("steps", "complement_answer", False),
    ("steps", "status_reason", False),
    ("messages", "params", False),
    ("contacts", "email", False),
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
            detail = json.loads(value) if isinstance(value, str) else cast(dict[str, Any], value)
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
    numbers_now, answers_now = current_prefix(numbers=True), current_prefix(numbers=False)
    done = {}
    for table, column, numbers in SEALED_COLUMNS:
        again: Callable[[Any], Any] = (
            (lambda value: seal_number(open_number(value)))
            if numbers
            else (lambda value: seal_answers(open_answers(value)))
        )
        keep = numbers_now if numbers else answers_now
        done[f"{table}.{column}"] = rewrite(connection, table, column, again, keep, commit=True)

    def detail_again(detail: dict[str, Any]) -> dict[str, Any] | None:
        texts = [detail[name] for name in FREE_TEXT if isinstance(detail.get(name), str)]
        if all(text.startswith(answers_now) for text in texts):
            return None
        return seal_detail(open_detail(detail))

    for table, column in SEALED_DETAILS:
        done[f"{table}.{column}"] = rewrite_details(
            connection, table, column, detail_again, commit=True
        )
    return done

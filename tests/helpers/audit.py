"""For the audit trail's tests: an app on a database of its own, its chain migrated; entries
written as officers write them; the hand of an attacker who may drop the database's guards;
`contactpoint audit verify` run as an operator runs it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from contactpoint import create_app
from contactpoint.cli import main
from contactpoint.db.models import AuditEntry
from contactpoint.extensions import db, dispose_engines
from contactpoint.officer import audit

QUESTION = "Which school will Leo go to?"  # free text: sealed at rest, open in the hash

# What an attacker with DDL rights drops before changing the trail behind the app's back.
GUARDS = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_entries_append_only",
        "DROP TRIGGER IF EXISTS audit_entries_removed_past_checkpoint",
        "DROP TRIGGER IF EXISTS audit_chain_head_forward",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries",
        "DROP TRIGGER IF EXISTS audit_entries_removed_past_checkpoint ON audit_entries",
        "DROP TRIGGER IF EXISTS audit_chain_head_forward ON audit_chain_head",
    ],
}


def database_of_its_own(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """For a fixture with params sqlite and postgresql: an empty database of the test's own."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'trail.db'}"
    return str(request.getfixturevalue("own_postgres"))


@contextmanager
def chain_app(database: str, tmp_path: Path) -> Iterator[Flask]:
    """The app on `database`, migrated, inside its app context; its connections closed after."""
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database,
         "SANDBOX_DATABASE_URL": f"sqlite:///{tmp_path / 'sandbox.db'}"}
    )  # fmt: skip
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        try:
            yield app
        finally:
            db.session.remove()
            dispose_engines()


def write(count: int, agency: str = "skatteverket") -> list[AuditEntry]:
    """`count` entries, as officers' views and decisions write them (one with free text)."""
    entries = []
    for number in range(count):
        case_id, step_id = f"c{number}", f"s{number}"
        if number % 2:
            said = {"decision": "complement", "question": QUESTION}
            entry = audit.record("officer-1", "officer", agency, "decided", case_id, step_id,
                                 **said)  # fmt: skip
        else:
            shown = {"fields": ["address"]}
            entry = audit.record("officer-2", "officer", agency, "viewed_step", case_id, step_id,
                                 **shown)  # fmt: skip
        entries.append(entry)
    return entries


def as_attacker(*statements: str, added: AuditEntry | None = None, **params: Any) -> None:
    """Drop the trail's guards, as someone with DDL rights may, run `statements` and add an
    entry of their making, past the app."""
    connection = db.session.connection()
    for statement in GUARDS[connection.dialect.name]:
        connection.exec_driver_sql(statement)
    for statement in statements:
        connection.execute(sa.text(statement), params)
    if added is not None:
        db.session.add(added)
    db.session.commit()


def verified(app: Flask, *published: str) -> tuple[int, dict[str, Any]]:
    """`contactpoint audit verify --json` (with `--published` heads): its exit code and what
    it printed."""
    args = ["audit", "verify", "--json"]
    for head in published:
        args += ["--published", head]
    done = app.test_cli_runner().invoke(main, args)
    assert done.exception is None or isinstance(done.exception, SystemExit), done.output
    return done.exit_code, json.loads(done.output)

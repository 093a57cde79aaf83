"""The database keeps the audit trail's chain, on SQLite and PostgreSQL: it refuses to change
or remove an entry (raw SQL, past the app), lets retention remove the oldest only through a
checkpoint, after which the chain still holds; the migration hashes the entries an older
database holds, in the order they were written; two connections appending at once keep the
chain whole."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import downgrade, upgrade

from agencies import clock
from contactpoint.audit.append import append
from contactpoint.db.models import AuditCheckpoint, AuditEntry
from contactpoint.db.protection import seal_detail
from contactpoint.db.retention_store import RetentionSql
from contactpoint.extensions import db
from contactpoint.officer import audit
from tests.conftest import POSTGRES_ADMIN, wait_until
from tests.helpers.audit import QUESTION, chain_app, database_of_its_own, verified, write
from workflows.retention import Retention, expiring, purge

# What the database says when it refuses, on either.
REFUSED = r"append-only|only moves forward|head stays|checkpoint names an entry"
RETENTION = Retention(audit_days=1825)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database of the test's own, with no schema yet."""
    return database_of_its_own(request, tmp_path)


@pytest.fixture()
def trail(empty_database: str, tmp_path: Path) -> Iterator[Flask]:
    """The app on a database of its own, migrated, in its app context."""
    with chain_app(empty_database, tmp_path) as app:
        yield app


def _refused(statement: str, **params: object) -> None:
    """The database refuses `statement`; nothing of it stays."""
    with pytest.raises(sa.exc.DBAPIError, match=REFUSED):
        db.session.execute(sa.text(statement), params)
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_entries SET actor = 'someone else' WHERE id = :id",
        "UPDATE audit_entries SET entry_hash = previous_hash WHERE id = :id",
        "DELETE FROM audit_entries WHERE id = :id",
        "DELETE FROM audit_entries",
        "UPDATE audit_chain_head SET position = position - 1",
        "UPDATE audit_chain_head SET position = position + 1",  # to no entry
        "DELETE FROM audit_chain_head",
        "INSERT INTO audit_checkpoints (position, entry_hash, entry_at, removed, at)"
        " VALUES (:position, 'not its hash', CURRENT_TIMESTAMP, 1, CURRENT_TIMESTAMP)",
    ],
)
def test_the_database_itself_refuses_to_change_or_remove_an_entry(
    app: Flask, statement: str
) -> None:
    with app.app_context():
        entry = audit.record("officer-1", "officer", "kommun_0380", "viewed_step", "c1", "s1")

        def what(entry: AuditEntry | None) -> tuple[object, ...]:
            assert entry is not None
            return entry.id, entry.position, entry.actor, entry.entry_hash

        kept = what(entry)
        _refused(statement, id=entry.id, position=entry.position)
        assert what(db.session.get(AuditEntry, entry.id)) == kept
        db.session.rollback()


def test_postgresql_refuses_to_truncate_the_trail(app: Flask) -> None:
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite has no TRUNCATE: a DELETE without WHERE meets the guard")
        audit.record("officer-1", "officer", "kommun_0380", "viewed_step")
        for table in ("audit_entries", "audit_checkpoints", "audit_chain_head"):
            _refused(f"TRUNCATE {table}")


def test_retention_removes_the_oldest_through_checkpoints_and_the_chain_still_holds(
    trail: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    long_ago = clock.now() - dt.timedelta(days=2000)
    with monkeypatch.context() as moved:
        moved.setattr(clock, "now", lambda: long_ago)
        old = write(3)
    write(1)
    with monkeypatch.context() as moved:  # old, but after a recent one: the start goes, only
        moved.setattr(clock, "now", lambda: long_ago)
        write(1)
    hashes = [entry.entry_hash for entry in old]
    store, moment = RetentionSql(), clock.now()
    assert expiring(store, RETENTION, moment)["audit"] == 3

    assert purge(store, RETENTION, moment, chunk=2)["audit"] == 3  # two chunks, two checkpoints
    positions = db.session.scalars(sa.select(AuditEntry.position).order_by(AuditEntry.position))
    assert list(positions) == [4, 5]
    checkpoints = db.session.execute(
        sa.select(
            AuditCheckpoint.position, AuditCheckpoint.entry_hash, AuditCheckpoint.removed
        ).order_by(AuditCheckpoint.position)
    ).all()
    assert [tuple(row) for row in checkpoints] == [(2, hashes[1], 2), (3, hashes[2], 1)]
    db.session.rollback()
    code, said = verified(trail)
    assert code == 0, said
    assert said["checked"] == 2 and said["checkpoint"]["position"] == 3
    assert said["checkpoint"]["hash"] == hashes[2]

    write(1)  # the chain goes on from its head
    code, said = verified(trail)
    assert code == 0 and said["checked"] == 3 and said["head"]["position"] == 6
    assert purge(store, RETENTION, moment)["audit"] == 0
    _refused("DELETE FROM audit_entries WHERE position = 4")  # past the checkpoint: kept
    _refused("UPDATE audit_checkpoints SET entry_hash = 'x'")
    _refused("DELETE FROM audit_checkpoints")
    _refused(
        "INSERT INTO audit_checkpoints (position, entry_hash, entry_at, removed, at)"
        " VALUES (2, :h, CURRENT_TIMESTAMP, 1, CURRENT_TIMESTAMP)",
        h=hashes[1],
    )  # not past the latest checkpoint, and its entry is gone


def test_the_migration_hashes_an_older_databases_entries_in_the_order_written(
    empty_database: str, tmp_path: Path
) -> None:
    with chain_app(empty_database, tmp_path) as app:
        directory = app.extensions["migrate"].directory
        downgrade(directory=directory, revision="0017")
        for entry_id in (7, 3, 12):  # the order written is the order of the ids
            db.session.execute(
                sa.text("INSERT INTO audit_entries (id, at, actor, role, agency, action,"
                        " case_id, step_id, detail) VALUES (:id, CURRENT_TIMESTAMP, 'officer-1',"
                        " 'officer', 'skatteverket', 'decided', 'c1', 's1', :detail)"),
                {"id": entry_id, "detail": json.dumps(seal_detail({"question": QUESTION}))},
            )  # fmt: skip
        db.session.commit()

        upgrade(directory=directory)
        ordered = db.session.execute(
            sa.select(AuditEntry.id, AuditEntry.position).order_by(AuditEntry.position)
        ).all()
        assert [tuple(row) for row in ordered] == [(3, 1), (7, 2), (12, 3)]
        db.session.rollback()
        code, said = verified(app)
        assert code == 0 and said["checked"] == 3 and said["head"]["position"] == 3
        assert audit.record("officer-2", "officer", "kommun_0380", "viewed_step").position == 4
        assert verified(app)[0] == 0
        _refused("UPDATE audit_entries SET actor = 'x'")

        downgrade(directory=directory, revision="0017")
        _refused("UPDATE audit_entries SET actor = 'x'")  # the guard of 0003 stays
        db.session.rollback()


def test_appends_from_two_connections_at_once_keep_the_chain(trail: Flask) -> None:
    ready, failures = threading.Barrier(2, timeout=30), []

    def officer(name: str) -> None:
        try:
            with trail.app_context():
                ready.wait()
                for number in range(40):
                    audit.record(name, "officer", "kommun_0380", "viewed_step", f"c{number}")
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - the test's own thread reports it
            failures.append(error)

    threads = [threading.Thread(target=officer, args=(f"officer-{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    positions = db.session.scalars(sa.select(AuditEntry.position).order_by(AuditEntry.position))
    assert list(positions) == list(range(1, 81))
    db.session.rollback()
    code, said = verified(trail)
    assert code == 0 and said["checked"] == 80, said


def test_a_second_writer_waits_for_the_head_and_links_to_the_first_ones_entry(
    own_postgres: str, tmp_path: Path
) -> None:
    name = own_postgres.rsplit("/", 1)[1]

    def waiting_for_a_lock() -> bool:
        with psycopg.connect(POSTGRES_ADMIN) as admin:
            found = admin.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = %s AND wait_event_type = 'Lock'",
                (name,),
            ).fetchone()
        return bool(found and found[0])

    with chain_app(own_postgres, tmp_path) as app:
        write(1)
        values: dict[str, object] = {"actor": "officer-1", "role": "officer",
                                     "agency": "kommun_0380", "action": "viewed_step",
                                     "detail": {}}  # fmt: skip
        [first] = append(db.session, [values])  # the head stays locked until the commit
        second: dict[str, object] = {}

        def other_officer() -> None:
            with app.app_context():
                entry = audit.record("officer-2", "officer", "kommun_0380", "viewed_step")
                second.update(position=entry.position, previous=entry.previous_hash)
                db.session.remove()

        thread = threading.Thread(target=other_officer)
        thread.start()
        wait_until(waiting_for_a_lock, timeout_s=30)
        assert not second  # it waits for the head
        db.session.commit()
        thread.join(timeout=30)
        assert second == {"position": 3, "previous": first.entry_hash}
        assert verified(app)[0] == 0

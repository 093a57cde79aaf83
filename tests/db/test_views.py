"""A read at the step's agency in the citizen's sharing log: one statement, no read before it;
the reads of one step in one role within one window are one entry that counts them; a step's
transfer stays written once; the migration keeps what a database holds, both ways."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import downgrade, upgrade

from agencies import clock
from contactpoint import create_app
from contactpoint.db.models import DataShare, Step
from contactpoint.db.statements import run
from contactpoint.db.statements.people import share_once
from contactpoint.extensions import db, dispose_engines
from contactpoint.officer.reads import record_read, window_start
from tests.helpers.statements import Collect, new_case, statements_of


def a_step() -> Step:
    """The first step of a new case."""
    case_id = new_case("moving")
    step = db.session.scalars(sa.select(Step).where(Step.case_id == case_id)).first()
    assert step is not None
    return step


def views(step_id: str) -> list[tuple[str | None, int, dt.datetime]]:
    """The step's views (role, times, at), oldest first."""
    rows = db.session.execute(
        sa.select(DataShare.role, DataShare.times, DataShare.at)
        .where(DataShare.step_id == step_id, DataShare.kind == "view")
        .order_by(DataShare.id)
    ).all()
    return [
        (role, times, at if at.tzinfo else at.replace(tzinfo=dt.UTC)) for role, times, at in rows
    ]


def test_the_windows_are_fixed_stretches_of_time() -> None:
    moment = dt.datetime(2026, 3, 1, 10, 7, 30, tzinfo=dt.UTC)
    assert window_start(moment, 10) == dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC)
    assert window_start(moment + dt.timedelta(minutes=3), 10) == moment.replace(minute=10, second=0)
    assert window_start(moment, 0) == moment


def test_a_read_is_one_statement_and_the_reads_of_a_window_are_one_entry(
    collect: Collect, monkeypatch: pytest.MonkeyPatch
) -> None:
    step = a_step()
    start = window_start(clock.now() - dt.timedelta(hours=1), 10)  # past: others read the log
    moments = [start + dt.timedelta(minutes=1)]
    monkeypatch.setattr(clock, "now", lambda: moments[-1])

    assert step.case.person_id  # loaded, as the step's page and the API have it
    sent = statements_of(lambda: record_read(step, ["name"], "officer"))
    assert len(sent) == 1 and sent[0].lstrip().upper().startswith("INSERT INTO DATA_SHARES")
    assert "ON CONFLICT" in sent[0].upper()  # counted by the database: no look first
    db.session.commit()

    moments.append(start + dt.timedelta(minutes=8))
    record_read(step, ["name", "personal_number"], "supervisor")  # an officer too
    record_read(step, ["personal_number"], "system")
    db.session.commit()
    assert views(step.id) == [("officer", 2, moments[1]), ("system", 1, moments[1])]
    shown = db.session.scalars(
        sa.select(DataShare.fields).where(DataShare.step_id == step.id, DataShare.role == "officer")
    ).one()
    assert shown == ["name", "personal_number"]  # what the latest read showed

    moments.append(start + dt.timedelta(minutes=10))  # the next window
    record_read(step, ["name"], "officer")
    db.session.commit()
    assert views(step.id)[-1] == ("officer", 1, moments[2])
    assert len(views(step.id)) == 3


def test_without_a_window_each_read_is_an_entry_of_its_own(
    app: Flask, collect: Collect, monkeypatch: pytest.MonkeyPatch
) -> None:
    step = a_step()
    monkeypatch.setitem(app.config, "VIEW_WINDOW_MINUTES", 0)
    first = clock.now() - dt.timedelta(hours=1)
    for seconds in (0, 1):
        monkeypatch.setattr(clock, "now", lambda s=seconds: first + dt.timedelta(seconds=s))
        record_read(step, ["name"], "officer")
    db.session.commit()
    assert [times for _, times, _ in views(step.id)] == [1, 1]


def test_a_steps_transfer_is_written_once_beside_its_views(collect: Collect) -> None:
    step = a_step()
    record_read(step, [], "officer")
    transfer = {
        "person_id": step.case.person_id,
        "kind": "transfer",
        "case_id": step.case_id,
        "step_id": step.id,
        "recipient": step.agency,
        "fields": ["name"],
        "basis": "consent",
        "reference": None,
        "at": clock.now(),
    }
    for _ in range(2):  # the step sent again
        run(share_once(db.engine.dialect.name), **transfer)
    db.session.commit()
    kinds = db.session.scalars(
        sa.select(DataShare.kind).where(DataShare.step_id == step.id).order_by(DataShare.id)
    ).all()
    assert kinds == ["view", "transfer"]


@pytest.fixture(params=["sqlite", "postgresql"])
def own_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database of the test's own with no schema yet."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'own.db'}"
    return str(request.getfixturevalue("own_postgres"))


def test_the_migration_keeps_transfers_once_and_its_downgrade_drops_the_views(
    own_database: str, tmp_path: Path
) -> None:
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": own_database,
         "SANDBOX_DATABASE_URL": f"sqlite:///{tmp_path / 'sandbox.db'}"}
    )  # fmt: skip
    row = (
        "INSERT INTO data_shares (person_id, kind, case_id, step_id, recipient, fields, basis, at)"
        " VALUES ('p1', :kind, NULL, 's1', 'skatteverket', '[]', 'consent', CURRENT_TIMESTAMP)"
    )
    with app.app_context():
        directory = app.extensions["migrate"].directory
        upgrade(directory=directory, revision="0015")
        connection = db.session.connection()
        connection.execute(
            sa.text("INSERT INTO people (id, personal_number, name, created_at)"
                    " VALUES ('p1', 'sealed', 'Sara', CURRENT_TIMESTAMP)")
        )  # fmt: skip
        connection.execute(sa.text(row), {"kind": "transfer"})
        db.session.commit()

        upgrade(directory=directory)
        db.session.execute(sa.text(row), {"kind": "view"})  # a view of the step: welcome
        db.session.commit()
        with pytest.raises(sa.exc.IntegrityError):  # a second transfer of it: never
            db.session.execute(sa.text(row), {"kind": "transfer"})
            db.session.commit()
        db.session.rollback()
        counted = "SELECT kind, times FROM data_shares ORDER BY id"
        assert [tuple(r) for r in db.session.execute(sa.text(counted))] == [
            ("transfer", 1),
            ("view", 1),
        ]
        db.session.rollback()

        downgrade(directory=directory, revision="0015")
        left = "SELECT kind FROM data_shares"
        assert [r[0] for r in db.session.execute(sa.text(left))] == ["transfer"]
        with pytest.raises(sa.exc.IntegrityError):  # unique per step again, as before
            db.session.execute(sa.text(row), {"kind": "register_read"})
            db.session.commit()
        db.session.rollback()
        upgrade(directory=directory)  # and up again
        db.session.remove()
        dispose_engines()

"""Personal identity numbers, and the answers that hold others', are sealed at rest: the
database's own rows hold none of them in clear, and every reader of the app reads them as
before. The migration seals what an older database holds, and its downgrade opens it."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from flask import Flask
from flask_migrate import downgrade, upgrade

from agencies.base import PermanentError
from contactpoint import create_app
from contactpoint.citizen.presenters import case_view
from contactpoint.cli import main
from contactpoint.db.case_records import case_record
from contactpoint.db.models import AuditEntry, Case, Draft, Person, Step
from contactpoint.db.protection import (
    UnreadableData,
    open_answers,
    open_number,
    seal_answers,
    seal_number,
)
from contactpoint.db.reseal import SEALED_COLUMNS, reseal
from contactpoint.extensions import db, dispose_engines
from contactpoint.officer import audit, step_view
from tests.conftest import ANNA, POSTGRES_ADMIN, postgres_available
from tests.helpers.statements import Collect, new_case
from workflows import engine, runtime
from workflows.engine import DEPENDENCY_FAILED
from workflows.lifeevents import catalogue
from workflows.store import Decision

# A personal identity number as typed anywhere: with or without its century and hyphen.
IN_CLEAR = re.compile(r"\d{6,8}[-+]?\d{4}")
QUESTION = "What is Leo's second name?"
ANSWER = "Leo Anders, born 20261110-4510"


def _raw(statement: str, *params: Any) -> list[Any]:
    """Rows as the database holds them, past every column type (`?` marks a parameter)."""
    if db.engine.dialect.name != "sqlite":
        statement = statement.replace("?", "%s")
    return list(db.session.connection().exec_driver_sql(statement, params).all())


def test_numbers_and_answers_are_stored_sealed_and_read_in_clear(collect: Collect) -> None:
    event = catalogue()["new-baby"]  # acts for the child, whose number is among the answers
    case_id = new_case("new-baby")
    case = db.session.get(Case, case_id)
    assert case is not None and case.on_behalf_of and IN_CLEAR.fullmatch(case.on_behalf_of)
    child = case.on_behalf_of
    assert case.answers["child"] == child and case.person.personal_number == event.example_person

    stored = _raw("SELECT on_behalf_of, answers FROM cases WHERE id = ?", case_id)
    people = _raw("SELECT personal_number FROM people")
    assert len(people) > 5
    for value in [*stored[0], *(row[0] for row in people)]:
        assert not IN_CLEAR.search(str(value)), value
    assert open_number(stored[0][0]) == child and open_answers(stored[0][1]) == case.answers

    record = case_record(case_id)  # the status read, one statement past the ORM
    assert record is not None
    assert record.on_behalf_of == child and record.answers == case.answers
    work = runtime.current().store.begin_step(collect.sent[0])  # what an agency is sent
    assert work is not None and work.answers == case.answers and work.on_behalf_of == child
    assert work.person["personal_number"] == event.example_person


def test_a_person_is_found_by_number_and_a_number_stays_unique(collect: Collect) -> None:
    anna = db.session.scalar(sa.select(Person).where(Person.personal_number == ANNA))
    assert anna is not None and anna.personal_number == ANNA
    both = sa.select(Person.personal_number).where(Person.personal_number.in_([ANNA, "x"]))
    assert db.session.scalars(both).all() == [ANNA]
    db.session.add(Person(personal_number=ANNA, name="Someone else"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_draft_keeps_its_answers_sealed(collect: Collect) -> None:
    anna = db.session.scalar(sa.select(Person).where(Person.personal_number == ANNA))
    assert anna is not None
    answers = {"deceased": "19410830-4132", "date_of_death": "2026-11-01"}
    # One draft per person and life event: one an earlier test kept in the shared database
    # goes, in this transaction only (rolled back below).
    db.session.execute(
        sa.delete(Draft).where(Draft.person_id == anna.id, Draft.life_event == "bereavement")
    )
    draft = Draft(person_id=anna.id, life_event="bereavement", answers=answers)
    db.session.add(draft)
    db.session.flush()
    [(stored,)] = _raw("SELECT answers FROM drafts WHERE id = ?", draft.id)
    assert not IN_CLEAR.search(stored) and open_answers(stored) == answers
    db.session.expire_all()
    assert db.session.get(Draft, draft.id).answers == answers
    db.session.rollback()


def test_sealing_is_fixed_for_numbers_fresh_for_answers_and_bound_to_its_key(app: Flask) -> None:
    with app.app_context():
        assert seal_number(ANNA) == seal_number(ANNA) != seal_number("19920604-2823")
        assert seal_answers({"a": 1}) != seal_answers({"a": 1})
        other = seal_number(ANNA, secret="another key of at least thirty-two characters")
        with pytest.raises(UnreadableData, match="sealed under key"):
            open_number(other)
        kind, key_id, body = seal_number(ANNA).split(".")
        altered = f"{kind}.{key_id}.{'A' if body[0] != 'A' else 'B'}{body[1:]}"
        with pytest.raises(UnreadableData, match="does not open"):
            open_number(altered)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of its own with no schema yet."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    yield request.getfixturevalue("own_postgres")


def _app_of(database: str, tmp_path: Path) -> Flask:
    """The app on a database of its own, which it does not migrate by itself."""
    return create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database,
         "SANDBOX_DATABASE_URL": f"sqlite:///{tmp_path / 'sandbox.db'}"}
    )  # fmt: skip


def _with_sara(connection: sa.Connection, number: str) -> sa.Connection:
    """`connection`, its database holding one person, 'p1', by `number` as stored."""
    connection.execute(
        sa.text("INSERT INTO people (id, personal_number, name, created_at)"
                " VALUES ('p1', :number, 'Sara', CURRENT_TIMESTAMP)"),
        {"number": number},
    )  # fmt: skip
    return connection


def test_the_migration_seals_what_an_older_database_holds(
    empty_database: str, tmp_path: Path
) -> None:
    app = _app_of(empty_database, tmp_path)
    answers = {"child": "20261110-4510", "child_names": ["Leo"]}
    with app.app_context():
        directory = app.extensions["migrate"].directory
        upgrade(directory=directory, revision="0008")
        connection = _with_sara(db.session.connection(), "19920604-2823")
        connection.execute(
            sa.text(
                "INSERT INTO cases (id, reference, person_id, life_event, on_behalf_of, status,"
                " answers, sources, consented_preview, consented_at, created_at, updated_at)"
                " VALUES ('c1', 'KP-OLD', 'p1', 'new-baby', :child, 'done', :answers, '{}',"
                " '{}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            {"child": "20261110-4510", "answers": json.dumps(answers)},
        )
        connection.execute(
            sa.text(
                "INSERT INTO steps (id, case_id, position, key, agency, status, ball,"
                " depends_on, fields, manual, attempts, outputs, complement_question,"
                " complement_answer, updated_at) VALUES ('s1', 'c1', 0, 'birth', 'skatteverket',"
                " 'waiting', 'agency', '[]', '[]', false, 1, '{}', :question, :answer,"
                " CURRENT_TIMESTAMP)"
            ),
            {"question": QUESTION, "answer": ANSWER},
        )
        db.session.commit()

        upgrade(directory=directory)
        [(number,)] = _raw("SELECT personal_number FROM people")
        [(child, sealed)] = _raw("SELECT on_behalf_of, answers FROM cases")
        [(question, answer)] = _raw("SELECT complement_question, complement_answer FROM steps")
        assert not any(IN_CLEAR.search(value) for value in (number, child, sealed, answer))
        assert "Leo" not in question
        db.session.rollback()
        step = db.session.get(Step, "s1")
        assert step is not None
        assert (step.complement_question, step.complement_answer) == (QUESTION, ANSWER)
        person = db.session.scalar(
            sa.select(Person).where(Person.personal_number == "19920604-2823")
        )
        case = db.session.get(Case, "c1")
        assert person is not None and person.id == "p1"
        assert case is not None and case.on_behalf_of == "20261110-4510" and case.answers == answers
        db.session.rollback()

        downgrade(directory=directory, revision="0008")
        [(number,)] = _raw("SELECT personal_number FROM people")
        [(child, kept)] = _raw("SELECT on_behalf_of, answers FROM cases")
        assert (number, child) == ("19920604-2823", "20261110-4510")
        assert (json.loads(kept) if isinstance(kept, str) else kept) == answers
        assert _raw("SELECT complement_question, complement_answer FROM steps") == [
            (QUESTION, ANSWER)
        ]
        db.session.rollback()
        db.session.remove()
        dispose_engines()


def _key_ids(statement: str) -> set[str]:
    return {str(value).split(".")[1] for (value,) in _raw(statement) if value is not None}


def test_a_new_key_takes_over_and_reseal_leaves_the_old_one_unneeded(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = app.config["PERSONAL_DATA_KEY"], "a second key of at least 32 characters"
    columns = [f"SELECT {column} FROM {table}" for table, column, _ in SEALED_COLUMNS]
    with app.app_context():
        case_id = new_case("new-baby")
        db.session.commit()
        case = db.session.get(Case, case_id)
        assert case is not None
        answers, child = case.answers, case.on_behalf_of
        db.session.rollback()
        entry_id = audit.record("officer-1", "officer", "skatteverket", "decided", case_id,
                                question=QUESTION).id  # fmt: skip
        question = f"SELECT detail FROM audit_entries WHERE id = {entry_id}"
        monkeypatch.setitem(app.config, "PERSONAL_DATA_KEY", second)
        with pytest.raises(UnreadableData, match="neither PERSONAL_DATA_KEY"):
            db.session.get(Case, case_id)  # the old key is needed, and the message says which
        db.session.rollback()
        monkeypatch.setitem(app.config, "PERSONAL_DATA_OLD_KEYS", [first])
        try:
            anna = db.session.scalar(sa.select(Person).where(Person.personal_number == ANNA))
            assert anna is not None and anna.personal_number == ANNA  # found under the old key
            db.session.rollback()
            with db.engine.connect() as connection:
                done = reseal(connection)
            assert done["people.personal_number"] > 5 and done["cases.answers"] >= 1
            assert done["audit_entries.detail"] >= 1  # the append-only trail too
            new_id = seal_number(ANNA).split(".")[1]
            assert all(_key_ids(statement) <= {new_id} for statement in columns)
            assert _key_ids(columns[0]) == {new_id}
            with db.engine.connect() as connection:
                assert sum(reseal(connection).values()) == 0  # nothing left to do

            monkeypatch.setitem(app.config, "PERSONAL_DATA_OLD_KEYS", [])  # the old key goes
            db.session.expire_all()
            case = db.session.get(Case, case_id)
            assert case is not None and (case.answers, case.on_behalf_of) == (answers, child)
            found = db.session.scalar(sa.select(Person).where(Person.personal_number == ANNA))
            assert found is not None and found.id == anna.id
            entry = db.session.get(AuditEntry, entry_id)
            assert entry is not None and entry.detail["question"] == QUESTION
            [(stored,)] = _raw(question)
            stored = json.loads(stored) if isinstance(stored, str) else stored
            assert stored["question"].split(".")[1] == new_id
            db.session.rollback()
        finally:  # the session's other tests read with the first key
            monkeypatch.setitem(app.config, "PERSONAL_DATA_KEY", first)
            monkeypatch.setitem(app.config, "PERSONAL_DATA_OLD_KEYS", [second])
            db.session.rollback()
            with db.engine.connect() as connection:
                reseal(connection)
        monkeypatch.setitem(app.config, "PERSONAL_DATA_OLD_KEYS", [])
        assert all(_key_ids(statement) <= {first_id(first)} for statement in columns)
        assert _key_ids(columns[0]) == {first_id(first)}
        db.session.rollback()


def first_id(secret: str) -> str:
    """The id of the key `secret` in the values it seals."""
    return seal_number(ANNA, secret=secret).split(".")[1]


def test_what_an_officer_and_the_citizen_write_about_a_step_is_stored_sealed(
    collect: Collect,
) -> None:
    case_id = new_case("moving")
    step_id = collect.sent[0]
    waiting = {"status": "waiting", "ball": "agency", "manual": False}
    db.session.execute(sa.update(Step).where(Step.id == step_id).values(**waiting))
    db.session.commit()
    store = runtime.current().store

    assert store.apply_decision(step_id, Decision("complement", "officer-1", question=QUESTION))
    assert store.apply_complement_answer(step_id, ANSWER, actor="citizen") == case_id

    [(question, answer)] = _raw(
        "SELECT complement_question, complement_answer FROM steps WHERE id = ?", step_id
    )
    assert "Leo" not in question + answer and not IN_CLEAR.search(answer)
    step = db.session.get(Step, step_id)
    assert step is not None
    assert (step.complement_question, step.complement_answer) == (QUESTION, ANSWER)
    db.session.rollback()
    work = store.begin_step(step_id)  # the step goes to its agency again, with the answer
    assert work is not None and work.complement == ANSWER


REASON = "The register holds 19920604-2823 twice; Leo must call us."


class _Refusing:
    """Every agency's system refuses every step, naming someone."""

    def for_agency(self, _agency: str) -> _Refusing:
        return self

    def submit(self, _request: Any) -> None:
        raise PermanentError(REASON)


def _details(table: str, kind: str, case_id: str) -> list[tuple[str, dict[str, Any]]]:
    """Each row's kind and detail as the database holds it."""
    rows = _raw(f"SELECT {kind}, detail FROM {table} WHERE case_id = ? ORDER BY id", case_id)
    return [(kind, json.loads(raw) if isinstance(raw, str) else raw) for kind, raw in rows]


def test_a_reason_and_the_words_the_timeline_and_trail_repeat_are_stored_sealed(
    collect: Collect, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = new_case("moving")
    current = runtime.current()
    monkeypatch.setattr(current, "adapters", _Refusing())
    first = collect.sent[0]
    engine.run_step(current.store, current.adapters, first, current.retry, collect)
    audit.record("officer-1", "officer", "skatteverket", "decided", case_id, first,
                 decision="complement", question=QUESTION, reason=REASON)  # fmt: skip

    [(stored,)] = _raw("SELECT status_reason FROM steps WHERE id = ?", first)
    assert not IN_CLEAR.search(stored) and "Leo" not in stored and open_answers(stored) == REASON
    cancelled = _raw(
        "SELECT reason_code, status_reason FROM steps WHERE status = 'cancelled' AND case_id = ?",
        case_id,
    )  # this case's: another test's withdrawn case may share the database
    assert cancelled and set(cancelled) == {(DEPENDENCY_FAILED, None)}  # a code, not words
    lines = _details("case_events", "kind", case_id)
    trail = _details("audit_entries", "action", case_id)
    assert "step_failed" in dict(lines) and "decided" in dict(trail)
    for kind, detail in [*lines, *trail]:
        assert not IN_CLEAR.search(json.dumps(detail)) and "Leo" not in json.dumps(detail), kind
    assert open_answers(dict(lines)["step_failed"]["reason"]) == REASON
    assert dict(lines)["step_cancelled"]["code"] == DEPENDENCY_FAILED
    assert "reason" not in dict(lines)["step_cancelled"]

    record = case_record(case_id)  # the status read and My pages read the words
    assert record is not None
    assert next(s.status_reason for s in record.steps if s.id == first) == REASON
    timeline = {event.kind: event.detail for event in record.events}
    assert timeline["step_failed"]["reason"] == REASON
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.case_id == case_id))
    assert entry is not None and (entry.detail["question"], entry.detail["reason"]) == (
        QUESTION, REASON,
    )  # fmt: skip
    views = {lang: case_view(record, lang)["steps"] for lang in ("sv", "en")}
    said_in = {
        "sv": "Ett steg som det här steget behöver kunde inte slutföras.",
        "en": "A step this one needs could not be completed.",
    }
    for language, said in said_in.items():
        reasons = {(s["status"], s["reason_code"], s["status_reason"]) for s in views[language]}
        assert ("failed", None, REASON) in reasons and (
            "cancelled",
            DEPENDENCY_FAILED,
            said,
        ) in reasons
    cancelled = db.session.scalar(sa.select(Step).where(Step.reason_code == DEPENDENCY_FAILED))
    assert cancelled is not None
    seen = step_view.step_detail(cancelled, "sv")  # as the agency reads its own step
    assert (seen["reason_code"], seen["status_reason"]) == (DEPENDENCY_FAILED, said_in["sv"])
    codes = [e["detail"].get("code") for e in seen["timeline"] if e["kind"] == "step_cancelled"]
    assert DEPENDENCY_FAILED in codes
    db.session.rollback()


def test_the_migration_seals_reasons_and_makes_kontaktpunkts_own_codes(
    empty_database: str, tmp_path: Path
) -> None:
    app = _app_of(empty_database, tmp_path)
    withdrawn = "The case was withdrawn."
    with app.app_context():
        directory = app.extensions["migrate"].directory
        upgrade(directory=directory, revision="0013")
        connection = _with_sara(db.session.connection(), seal_number("19920604-2823"))
        connection.execute(
            sa.text(
                "INSERT INTO cases (id, reference, person_id, life_event, status, answers,"
                " sources, consented_preview, consented_at, created_at, updated_at)"
                " VALUES ('c1', 'KP-OLD', 'p1', 'moving', 'withdrawn', :answers, '{}', '{}',"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            {"answers": seal_answers({})},
        )
        for step_id, status, reason in (("s1", "failed", REASON), ("s2", "cancelled", withdrawn)):
            connection.execute(
                sa.text(
                    "INSERT INTO steps (id, case_id, position, key, agency, status, ball,"
                    " depends_on, fields, manual, attempts, outputs, status_reason, updated_at)"
                    " VALUES (:id, 'c1', 0, 'address', 'skatteverket', :status, 'none', '[]',"
                    " '[]', false, 1, '{}', :reason, CURRENT_TIMESTAMP)"
                ),
                {"id": step_id, "status": status, "reason": reason},
            )
        lines = (
            ("s1", "step_failed", {"agency": "skatteverket", "reason": REASON}),
            ("s2", "step_cancelled", {"agency": "skatteverket", "reason": withdrawn}),
            ("s1", "step_done", {"agency": "skatteverket", "reference": "SKV-1"}),
        )
        for step_id, kind, detail in lines:
            connection.execute(
                sa.text("INSERT INTO case_events (case_id, step_id, at, kind, detail)"
                        " VALUES ('c1', :step, CURRENT_TIMESTAMP, :kind, :detail)"),
                {"step": step_id, "kind": kind, "detail": json.dumps(detail)},
            )  # fmt: skip
        said = {"decision": "complement", "question": QUESTION}
        connection.execute(
            sa.text("INSERT INTO audit_entries (at, actor, role, agency, action, case_id,"
                    " step_id, detail) VALUES (CURRENT_TIMESTAMP, 'officer-1', 'officer',"
                    " 'skatteverket', 'decided', 'c1', 's1', :detail)"),
            {"detail": json.dumps(said)},
        )  # fmt: skip
        db.session.commit()

        upgrade(directory=directory)
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):  # guarded again
            db.session.execute(sa.text("UPDATE audit_entries SET actor = 'someone else'"))
        db.session.rollback()
        stored = _raw("SELECT id, reason_code, status_reason FROM steps ORDER BY id")
        assert stored[1] == ("s2", "withdrawn", None)
        assert stored[0][1] is None and open_answers(stored[0][2]) == REASON
        details = [detail for _kind, detail in _details("case_events", "kind", "c1")]
        trail = [detail for _kind, detail in _details("audit_entries", "action", "c1")]
        assert not any(IN_CLEAR.search(json.dumps(d)) for d in details)
        assert open_answers(details[0]["reason"]) == REASON
        assert details[1:] == [
            {"agency": "skatteverket", "code": "withdrawn"},
            {"agency": "skatteverket", "reference": "SKV-1"},
        ]
        assert "Leo" not in json.dumps(trail) and open_answers(trail[0]["question"]) == QUESTION
        db.session.rollback()
        entry = db.session.scalar(sa.select(AuditEntry))
        step = db.session.get(Step, "s1")
        assert entry is not None and entry.detail == said
        assert step is not None and step.status_reason == REASON
        db.session.rollback()

        downgrade(directory=directory, revision="0013")
        assert _raw("SELECT id, status_reason FROM steps ORDER BY id") == [
            ("s1", REASON), ("s2", withdrawn),
        ]  # fmt: skip
        assert [d for _k, d in _details("case_events", "kind", "c1")] == [d for *_, d in lines]
        assert [d for _k, d in _details("audit_entries", "action", "c1")] == [said]
        db.session.rollback()
        db.session.remove()
        dispose_engines()


def test_reseal_by_a_role_that_does_not_own_the_tables_says_who_must_run_it(
    tmp_path: Path,
) -> None:
    if not postgres_available():
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432")
    suffix = uuid.uuid4().hex[:10]
    name, role = f"contactpoint_reseal_{suffix}", f"contactpoint_app_{suffix}"
    old, new = "the key every value is sealed under so far", "the key that takes over from it"
    server = POSTGRES_ADMIN.rsplit("/", 1)[0]
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
        conn.execute(f'CREATE ROLE "{role}" LOGIN')
    try:
        app = _app_of(f"{server}/{name}", tmp_path)
        app.config["PERSONAL_DATA_KEY"] = old
        with app.app_context():
            upgrade(directory=app.extensions["migrate"].directory)
            audit.record("officer-1", "officer", "skatteverket", "decided", question=QUESTION)
            db.session.remove()
            dispose_engines()
        with psycopg.connect(f"{server}/{name}", autocommit=True) as conn:
            conn.execute(
                f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"'
            )
        done = CliRunner().invoke(
            main,
            ["reseal"],
            env={"DATABASE_URL": f"postgresql://{role}@127.0.0.1:5432/{name}",
                 "PERSONAL_DATA_KEY": new, "PERSONAL_DATA_OLD_KEYS": old},
        )  # fmt: skip
        assert done.exit_code == 1, done.output
        assert done.output.startswith("Error: must be owner of table audit_entries.")
        assert "the role that runs the migrations" in done.output
        assert "Traceback" not in done.output
    finally:
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')

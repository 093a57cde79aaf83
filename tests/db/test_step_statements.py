"""A step's work with the database: how many statements, and what each commit promises."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from threading import Thread
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from contactpoint.bench.ours import automatic_answers
from contactpoint.db.engines import PREPARE_AFTER
from contactpoint.db.models import Case, CaseEvent, DataShare, Step, now, utc
from contactpoint.db.statements import CLAIM, LOCK_CASE, run_alone
from contactpoint.extensions import db, dispose_engines
from tests.conftest import token_for, wait_until
from tests.helpers.statements import Collect, new_case, statements_of
from workflows import engine, runtime
from workflows.lifeevents import catalogue


def test_a_step_begins_in_one_statement_with_all_its_work(collect: Collect) -> None:
    case_id = new_case("start-business")  # its first step issues an organisation number
    current = runtime.current()
    first = collect.sent.pop(0)
    engine.run_step(current.store, current.adapters, first, current.retry, collect)
    step_id, needs = next(  # a step that needs what the first one produced
        (step.id, step.depends_on)
        for step in db.session.scalars(sa.select(Step).where(Step.case_id == case_id))
        if step.depends_on and step.id in collect.sent
    )
    db.session.rollback()
    works: list[Any] = []
    sent = statements_of(lambda: works.append(current.store.begin_step(step_id)))
    assert len(sent) == 1 and sent[0].lstrip().upper().startswith("UPDATE")
    work = works[0]
    case = db.session.get(Case, case_id)
    assert case is not None
    assert work.answers == case.answers and work.person_id == case.person_id
    assert work.person["personal_number"] == catalogue()["start-business"].example_person
    upstream = db.session.scalars(sa.select(Step).where(Step.case_id == case_id)).all()
    expected: dict[str, Any] = {}
    for step in upstream:
        if step.key in needs:
            expected |= step.outputs or {}
    assert expected and work.produced == expected  # the first step's outputs, read in passing
    claimed = db.session.get(Step, step_id)  # when it was claimed for its queue, read in passing
    assert claimed is not None and claimed.dispatched_at is not None
    assert work.sent_at == utc(claimed.dispatched_at) and work.sent_at.tzinfo is not None
    assert work.began_at is not None and work.sent_at <= work.began_at
    assert current.store.begin_step(step_id) is None  # running on its lease: won once


def test_a_step_does_not_begin_before_the_steps_it_needs_have_finished(
    app: Flask, collect: Collect
) -> None:
    """As when a worker's commit that claimed it was lost in a crash of the database, after
    its message was sent: the message must not send the step ahead of the one it needs."""
    case_id = new_case()
    current = runtime.current()
    first = collect.sent.pop(0)
    waiting = [
        step.id
        for step in db.session.scalars(sa.select(Step).where(Step.case_id == case_id))
        if step.depends_on and step.status == "pending"
    ]
    db.session.rollback()
    assert waiting and first not in waiting
    early = waiting[0]
    ran = engine.run_step(current.store, current.adapters, early, current.retry, collect)
    assert ran == (None, None)
    step = db.session.get(Step, early)
    assert step is not None and (step.status, step.attempts) == ("pending", 0)
    received = {entry.step_id for entry in app.extensions["ledger"].entries()}
    assert early not in received  # its agency was not called
    db.session.rollback()
    engine.run_step(current.store, current.adapters, first, current.retry, collect)
    assert early in collect.sent  # claimed once the step it needs is done,
    assert current.store.begin_step(early) is not None  # and now it may begin


def test_the_answer_and_its_timeline_lines_commit_together(collect: Collect) -> None:
    new_case()
    current = runtime.current()
    step_id = collect.sent.pop(0)
    sent = statements_of(
        lambda: engine.run_step(current.store, current.adapters, step_id, current.retry, collect)
    )
    inserts = [s.upper() for s in sent if "INSERT INTO" in s.upper()]
    timeline = [s for s in inserts if "INSERT INTO CASE_EVENTS" in s]
    assert len(timeline) == 1  # the start and the answer: one statement for both lines
    locks = [s for s in sent if "UPDATE CASES SET VERSION" in s.upper()]
    if db.engine.dialect.name == "postgresql":  # the case is locked once, by the answer itself
        assert len(locks) == 1 and "UPDATE STEPS" in locks[0].upper()
        to_log = [s for s in inserts if "INSERT INTO DATA_SHARES" in s]
        assert to_log == timeline  # and the transfer in the sharing log with them,
        assert timeline == [locks[0].upper()]  # all in the answer's own statement,
        reads = [s for s in sent if s.lstrip().upper().startswith("SELECT")]
        assert not reads  # which read the case's state for its settling in passing
    else:  # SQLite has one writer at a time: nothing to lock
        assert not locks and not any("FOR NO KEY UPDATE" in s.upper() for s in sent)
    shared = sa.select(sa.func.count()).where(DataShare.step_id == step_id)
    assert db.session.scalar(shared) == 1  # the transfer is in the sharing log, once
    lines = db.session.scalars(
        sa.select(CaseEvent).where(CaseEvent.step_id == step_id).order_by(CaseEvent.id)
    ).all()
    step = db.session.get(Step, step_id)
    assert step is not None and step.status == "done"
    assert [line.kind for line in lines] == ["step_started", "step_done"]
    assert lines[0].at == step.started_at  # the start's line says when it began, not when written
    assert lines[0].at <= lines[1].at


def test_an_answer_settles_on_what_another_committed_while_it_waited_for_the_case(
    app: Flask, collect: Collect
) -> None:
    """The answer's statement reads the case as its snapshot saw it; a change committed
    after that snapshot, while the statement waited for the case's lock, must not be missed:
    here the other last steps end meanwhile, and the answer closes the case."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: no statement waits for a lock")
    case_id = new_case()
    current = runtime.current()
    engine.run_step(current.store, current.adapters, collect.sent.pop(0), current.retry, collect)
    mine, *others = collect.sent  # the steps that waited for the first one
    db.session.rollback()
    finishing = sa.update(Step).where(Step.id.in_(others)).values(status="done", finished_at=now())
    with db.engine.connect() as elsewhere:
        elsewhere.execute(sa.text("SET application_name = 'elsewhere'"))
        elsewhere.execute(LOCK_CASE, {"case_id": case_id})  # as a settling holds the case
        elsewhere.execute(finishing)
        answered = Thread(target=_answer_in_app, args=(app, mine, collect))
        answered.start()
        wait_until(lambda: _waits_for_a_lock(app), timeout_s=30)  # its snapshot is taken
        elsewhere.commit()
    answered.join(timeout=30)
    assert not answered.is_alive()
    db.session.rollback()
    case = db.session.get(Case, case_id)
    assert case is not None and case.status == "done"  # it saw the other step done


def _answer_in_app(app: Flask, step_id: str, collect: Collect) -> None:
    with app.app_context():
        current = runtime.current()
        engine.run_step(current.store, current.adapters, step_id, current.retry, collect)


def _waits_for_a_lock(app: Flask) -> bool:
    waiting = sa.text(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        " AND datname = current_database() AND query LIKE 'WITH locked_case%'"
    )
    with app.app_context():
        return bool(run_alone(waiting)[0][0])


def test_in_a_web_process_only_the_mark_of_a_step_under_way_skips_waiting_for_the_disk(
    app: Flask,
) -> None:
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite in WAL mode with synchronous=NORMAL never waits at a commit")
        show = sa.text("SHOW synchronous_commit")
        assert run_alone(show)[0][0] == "on"
        assert run_alone(show, durable=False)[0][0] == "off"
        assert db.session.scalar(show) == "on"  # what a person does waits for the disk
        db.session.rollback()


@pytest.mark.parametrize("setting", [None, "local"])
def test_a_worker_process_commits_as_its_setting_says(
    app: Flask, app_env: dict[str, str], setting: str | None
) -> None:
    """Not waiting for the disk by default: all a worker writes it can write again."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite in WAL mode with synchronous=NORMAL never waits at a commit")
    env = dict(app_env)
    if setting:
        env["CONTACTPOINT_WORKER_SYNCHRONOUS_COMMIT"] = setting
    show = (
        "import sqlalchemy as sa; from worker import flask_app;"
        " from contactpoint.extensions import db;"
        " from contactpoint.db.statements import run_alone\n"
        "with flask_app.app_context():\n"
        "    show = sa.text('SHOW synchronous_commit')\n"
        "    print(db.session.scalar(show), run_alone(show)[0][0],"
        " run_alone(show, durable=False)[0][0])"
    )
    done = subprocess.run(
        [sys.executable, "-c", show], env=env, capture_output=True, timeout=60,
        cwd=Path(__file__).parents[2], check=True,
    )  # fmt: skip
    expected = setting or "off"
    assert done.stdout.decode().split() == [expected, expected, "off"]


def test_the_answer_to_a_submission_is_the_case_as_written_not_read_back(
    app: Flask, collect: Collect
) -> None:
    client = app.test_client()
    anna = token_for(client, catalogue()["moving"].example_person)
    body = {"life_event": "moving", "answers": automatic_answers(), "consent": True}
    answers: list[Any] = []
    in_transactions: list[tuple[str, bool]] = []
    assert client.get("/api/v1/me/data-shares", headers=anna).status_code == 200  # token known

    def engine_of(connection: sa.Connection, _cursor: Any, statement: str, *_args: Any) -> None:
        in_transactions.append((statement, connection.engine is db.engine))

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", engine_of)
    try:
        everything = statements_of(
            lambda: answers.append(client.post("/api/v1/cases", json=body, headers=anna))
        )
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", engine_of)
    assert answers[0].status_code == 201
    # The simulated population register keeps what it recorded since the test population
    # (moves, births) in tables of its own here; a real register is another system. The
    # citizen's facts and household are read in one look-up: the people, and the move.
    register = [s for s in everything if "register_" in s]
    assert len(register) <= 2 and all(s.lstrip().upper().startswith("SELECT") for s in register)
    sent = [s for s in everything if "register_" not in s]
    reads = [s for s in sent if s.lstrip().upper().startswith("SELECT")]
    assert len(reads) <= 1 and all("FROM people" in s for s in reads)  # whose token; no more
    writes = [s for s in sent if "INSERT INTO" in s.upper()]
    tables = ("cases", "steps", "case_events", "data_shares")  # with the register reads' log
    if db.engine.dialect.name == "postgresql":  # all of it in one statement,
        assert len(writes) == 1 and all(f"INSERT INTO {table} " in writes[0] for table in tables)
        ours = [outside for statement, outside in in_transactions if "register_" not in statement]
        assert ours == [False] * (len(reads) + 1)  # each commits by itself: no BEGIN
    else:
        assert len(writes) == len(tables)
    case = answers[0].json
    assert [step["status"] for step in case["steps"]][:1] == ["pending"]  # sent, not begun
    again = client.get(f"/api/v1/cases/{case['id']}", headers=anna)  # nothing has run since
    assert again.status_code == 200 and again.json == case


def test_a_submission_commits_by_itself_and_postgresql_keeps_its_plan(
    app: Flask, collect: Collect
) -> None:
    """The case's one statement is its whole transaction: it commits by itself on a
    connection that never rolls back, so a web process plans it once, not per submission."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite keeps no plans on the server")
    count = sa.select(sa.func.count()).select_from(Case)
    with app.app_context():
        before = db.session.scalar(count)
        db.session.rollback()
        dispose_engines()  # one connection for the requests, one after another, and the check
    client = app.test_client()
    anna = token_for(client, catalogue()["moving"].example_person)
    body = {"life_event": "moving", "answers": automatic_answers(), "consent": True}
    for _ in range(PREPARE_AFTER + 3):
        assert client.post("/api/v1/cases", json=body, headers=anna).status_code == 201
    with app.app_context():
        prepared = run_alone(
            sa.text(
                "SELECT generic_plans + custom_plans FROM pg_prepared_statements"
                " WHERE statement LIKE 'WITH new_case AS%'"
            )
        )
        after = db.session.scalar(count)
        db.session.rollback()
    assert prepared and max(row[0] for row in prepared) >= 3  # run prepared, not planned
    assert after == before + PREPARE_AFTER + 3  # committed, though each request rolled back


def test_a_claim_finds_its_steps_by_key_though_statistics_call_pending_rare(
    app: Flask, collect: Collect
) -> None:
    """Statistics taken when few steps were pending (after a bulk load, or before work piled
    up) once made PostgreSQL claim a case's steps by reading every pending step."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no statistics that steer it to the status index")
    case_id = new_case()
    ids = list(db.session.scalars(sa.select(Step.id).where(Step.case_id == case_id)))
    columns = [column.name for column in Step.__table__.c]

    def copies(status: str, count: int) -> sa.TextClause:  # of the case's first step
        values = {"id": "md5(random()::text || g::text)", "status": f"'{status}'"}
        chosen = ", ".join(values.get(name, f"steps.{name}") for name in columns)
        return sa.text(
            f"INSERT INTO steps ({', '.join(columns)}) SELECT {chosen}"
            f" FROM steps, generate_series(1, {count}) AS g WHERE steps.id = :first"
        )

    connection = db.session.connection()  # all of it rolled back at the end
    connection.execute(copies("done", 20_000), {"first": ids[0]})
    connection.execute(sa.text("ANALYZE steps"))  # hardly a step pending
    connection.execute(copies("pending", 3_000), {"first": ids[0]})
    sent: list[tuple[str, Any]] = []

    def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        sent.append((statement, parameters))

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", seen)
    try:  # the claim as the driver gets it, then its plan
        connection.execute(CLAIM, {"ids": ids, "now": now()})
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", seen)
    plan = connection.exec_driver_sql(f"EXPLAIN {sent[-1][0]}", sent[-1][1]).scalars().all()
    db.session.rollback()
    assert "steps_pkey" in "\n".join(plan), plan

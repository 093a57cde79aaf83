"""What has outlived its retention period is removed, and nothing else: a closed case with
everything that refers to it, drafts never sent, register reads no case took (old audit
entries: test_audit_chain.py); never an open case, a case with work under way, or one
reopened meanwhile."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from contactpoint.cli import main
from contactpoint.db.models import (
    AgencyCallback,
    Case,
    CaseEvent,
    DataShare,
    Draft,
    Feedback,
    Person,
    Step,
    now,
)
from contactpoint.extensions import db
from contactpoint.officer.reads import record_read
from tests.conftest import token_for, wait_until
from tests.helpers.officer import officer_login
from tests.helpers.pages import login
from tests.helpers.statements import Collect, new_case
from workflows import runtime
from workflows.retention import Retention, expiring, purge

RETENTION = Retention(closed_case_days=365, draft_days=30, audit_days=1825)


def _days_ago(days: int) -> dt.datetime:
    return now() - dt.timedelta(days=days)


def closed_case(days_ago: int, event_id: str = "moving", **step_values: Any) -> str:
    """A case whose steps all ended and which closed `days_ago`, with a line in its timeline,
    a transfer in the sharing log, an agency's callback on a step and the citizen's feedback."""
    case_id = new_case(event_id)
    steps = list(db.session.scalars(sa.select(Step.id).where(Step.case_id == case_id)))
    db.session.execute(
        sa.update(Step)
        .where(Step.case_id == case_id)
        .values(status="done", ball="none", finished_at=_days_ago(days_ago))
    )
    if step_values:  # one step otherwise
        db.session.execute(sa.update(Step).where(Step.id == steps[0]).values(**step_values))
    db.session.execute(
        sa.update(Case)
        .where(Case.id == case_id)
        .values(status="done", closed_at=_days_ago(days_ago))
    )
    case = db.session.get(Case, case_id)
    assert case is not None
    db.session.add_all(
        [
            CaseEvent(case_id=case_id, kind="case_closed", at=_days_ago(days_ago)),
            DataShare(
                person_id=case.person_id,
                case_id=case_id,
                step_id=steps[0],
                recipient="skatteverket",
                fields=["personal_number"],
            ),
            AgencyCallback(
                agency="skatteverket",
                callback_id=uuid.uuid4().hex,
                step_id=steps[0],
                decision="approved",
            ),
            Feedback(life_event=event_id, case_id=case_id, ease=5, language="sv"),
        ]
    )
    db.session.commit()
    return case_id


def _left(case_id: str) -> dict[str, int]:
    """How many rows of each table still refer to the case."""
    steps = sa.select(Step.id).where(Step.case_id == case_id).scalar_subquery()
    counts = {
        "cases": sa.select(sa.func.count()).where(Case.id == case_id),
        "steps": sa.select(sa.func.count()).where(Step.case_id == case_id),
        "timeline": sa.select(sa.func.count()).where(CaseEvent.case_id == case_id),
        "shares": sa.select(sa.func.count()).where(DataShare.case_id == case_id),
        "callbacks": sa.select(sa.func.count()).where(AgencyCallback.step_id.in_(steps)),
        "feedback": sa.select(sa.func.count()).where(Feedback.case_id == case_id),
    }
    try:
        return {name: int(db.session.scalar(query) or 0) for name, query in counts.items()}
    finally:
        db.session.rollback()


def _person(index: int) -> Person:
    people = db.session.scalars(sa.select(Person).order_by(Person.id)).all()
    return people[index]


def test_a_pass_removes_what_expired_and_keeps_the_rest(collect: Collect) -> None:
    expired = [closed_case(400), closed_case(380), closed_case(366)]
    recent = closed_case(300)
    open_case = new_case("moving")
    db.session.execute(  # open for years: an agency still handles it
        sa.update(Case).where(Case.id == open_case).values(created_at=_days_ago(900))
    )
    withdrawal_due = closed_case(400, withdrawal="due")
    step_waiting = closed_case(400, status="waiting", ball="agency")

    someone, other = _person(0), _person(1)
    old_draft = Draft(person_id=someone.id, life_event="new-baby", updated_at=_days_ago(31))
    new_draft = Draft(person_id=other.id, life_event="new-baby", updated_at=_days_ago(29))
    read = {"kind": "register_read", "register": "population", "recipient": "skatteverket"}
    old_read = DataShare(person_id=someone.id, fields=["address"], at=_days_ago(400), **read)
    new_read = DataShare(person_id=someone.id, fields=["address"], at=_days_ago(10), **read)
    # The audit trail goes from the start of its chain only: tests/db/test_audit_chain.py.
    db.session.add_all([old_draft, new_draft, old_read, new_read])
    db.session.commit()
    ids = [old_draft.id, new_draft.id, old_read.id, new_read.id]
    store, moment = runtime.current().store, now()

    counted = expiring(store, RETENTION, moment)
    assert counted["cases"] >= 3 and counted["drafts"] >= 1
    assert counted["register_reads"] >= 1
    removed = purge(store, RETENTION, moment, chunk=2)  # cases in two chunks

    assert removed == counted
    assert expiring(store, RETENTION, moment) == dict.fromkeys(removed, 0)
    nothing = {"cases": 0, "steps": 0, "timeline": 0, "shares": 0, "callbacks": 0, "feedback": 0}
    for case_id in expired:
        assert _left(case_id) == nothing
    for case_id in (recent, withdrawal_due, step_waiting):
        assert _left(case_id)["cases"] == 1 and _left(case_id)["callbacks"] == 1
    assert _left(open_case)["cases"] == 1
    feedback = db.session.scalars(sa.select(Feedback).where(Feedback.case_id.is_(None))).all()
    assert len(feedback) >= 3  # the feedback stays, without its case
    draft_left = set(db.session.scalars(sa.select(Draft.id).where(Draft.id.in_(ids[:2]))))
    reads_left = set(db.session.scalars(sa.select(DataShare.id).where(DataShare.id.in_(ids[2:4]))))
    assert (draft_left, reads_left) == ({ids[1]}, {ids[3]})
    assert db.session.get(Person, someone.id) is not None  # the person's own row stays
    db.session.rollback()
    assert purge(store, RETENTION, moment) == dict.fromkeys(removed, 0)


def test_the_reads_at_agencies_go_with_the_case_they_concern(collect: Collect) -> None:
    expired, kept = closed_case(400), closed_case(300)
    for case_id in (expired, kept):
        step = db.session.scalars(sa.select(Step).where(Step.case_id == case_id)).first()
        assert step is not None
        record_read(step, ["personal_number"], "officer")
        record_read(step, ["personal_number"], "system")
    db.session.commit()
    views = sa.select(DataShare.case_id).where(
        DataShare.kind == "view", DataShare.case_id.in_([expired, kept])
    )
    assert sorted(db.session.scalars(views)) == sorted([expired, expired, kept, kept])
    db.session.rollback()

    purge(runtime.current().store, RETENTION, now())

    assert list(db.session.scalars(views)) == [kept, kept]
    assert _left(expired)["shares"] == 0


def test_a_case_reopened_while_a_pass_chose_it_stays(collect: Collect, app: Flask) -> None:
    case_id = closed_case(400)
    store = runtime.current().store
    outcome: dict[str, Any] = {}

    def reopen_meanwhile(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        """Just before the pass's first write, an officer retries a step of the case."""
        if outcome or not statement.lstrip().upper().startswith("UPDATE CASES SET VERSION"):
            return
        reopen = (
            sa.update(Case).where(Case.id == case_id).values(status="in_progress", closed_at=None)
        )
        with db.engine.connect() as other:
            if other.dialect.name == "postgresql":
                other.exec_driver_sql("SET lock_timeout = '300ms'")
            try:
                outcome["reopened"] = other.execute(reopen).rowcount
                other.commit()
            except sa.exc.OperationalError as error:
                outcome["waited"] = type(error.orig).__name__
                other.rollback()

    sa.event.listen(db.engine, "before_cursor_execute", reopen_meanwhile)
    try:
        gone = store.remove_expired("cases", RETENTION.cutoffs(now())["cases"], 500)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", reopen_meanwhile)

    if db.engine.dialect.name == "postgresql":
        # The pass had locked the case: the reopening had to wait, and the case is gone.
        assert outcome == {"waited": "LockNotAvailable"} and gone >= 1
        assert _left(case_id)["cases"] == 0
    else:
        # SQLite takes no lock on a read: the reopening went first, and the pass kept it.
        assert outcome == {"reopened": 1}
        left = _left(case_id)
        assert left["cases"] == 1 and left["steps"] > 0 and left["callbacks"] == 1
        assert db.session.get(Case, case_id).status == "in_progress"  # type: ignore[union-attr]


def test_the_dry_run_counts_and_the_command_removes(collect: Collect, app: Flask) -> None:
    case_id = closed_case(500)
    runner = app.test_cli_runner()

    dry = runner.invoke(main, ["purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    found = re.search(
        r"closed cases \(with their steps, timeline and sharing log\), from before "
        r"(\d{4}-\d\d-\d\d \d\d:\d\d) UTC:",
        dry.output,
    )
    assert found, dry.output  # the cutoff to the minute, not a date a zone may shift by a day
    days = runtime.current().retention.closed_case_days
    cutoff = dt.datetime.strptime(found[1], "%Y-%m-%d %H:%M").replace(tzinfo=dt.UTC)
    expected = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    assert abs(cutoff - expected) < dt.timedelta(minutes=2)
    assert "would be removed" in dry.output and _left(case_id)["cases"] == 1

    done = runner.invoke(main, ["purge"])
    assert done.exit_code == 0, done.output
    line = next(line for line in done.output.splitlines() if line.startswith("closed cases"))
    assert line.endswith("removed") and int(line.split(": ")[1].split()[0]) >= 1
    assert _left(case_id)["cases"] == 0


@pytest.mark.slow
def test_the_worker_runs_the_pass_that_beat_sends(
    collect: Collect, app: Flask, worker: Any
) -> None:
    case_id = closed_case(400)
    kept = closed_case(10)
    schedule = app.extensions["celery"].conf.beat_schedule["purge"]
    assert schedule["task"] == "workflows.purge_expired"
    assert schedule["schedule"] == app.config["RETENTION_INTERVAL_S"]

    app.extensions["celery"].send_task(schedule["task"], **schedule["options"])

    wait_until(lambda: _left(case_id)["cases"] == 0, timeout_s=60)
    assert _left(kept)["cases"] == 1


def test_the_citizen_is_told_when_a_closed_case_is_removed(
    collect: Collect, app: Flask, client: FlaskClient
) -> None:
    closed, still_open = closed_case(10), new_case("moving")
    owner = db.session.get(Case, closed).person.personal_number  # type: ignore[union-attr]
    db.session.rollback()
    headers = token_for(client, owner)

    read = client.get(f"/api/v1/cases/{closed}", headers=headers).json
    kept = dt.datetime.fromisoformat(read["retained_until"]) - dt.datetime.fromisoformat(
        read["closed_at"]
    )
    assert kept == dt.timedelta(days=app.config["CASE_RETENTION_DAYS"])
    assert client.get(f"/api/v1/cases/{still_open}", headers=headers).json["retained_until"] is None
    exported = {
        case["id"]: case for case in client.get("/api/v1/me/export", headers=headers).json["cases"]
    }
    assert exported[closed]["retained_until"] == read["retained_until"]
    assert exported[still_open]["retained_until"] is None

    login(client, owner)
    page = client.get(f"/my-pages/cases/{closed}").get_data(as_text=True)
    # the day as the citizen reads it: in the service's time zone, not UTC (from 23:00 UTC
    # in Swedish winter time, the two are different days)
    zone = ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"])
    until = dt.datetime.fromisoformat(read["retained_until"]).astimezone(zone)
    assert 'id="retention"' in page and "Kontaktpunkt tar bort ärendet" in page
    assert f"{until.day} " in page and str(until.year) in page
    assert 'id="retention"' not in client.get(f"/my-pages/cases/{still_open}").get_data(
        as_text=True
    )
    shares = client.get("/my-pages/data-shares").get_data(as_text=True)
    hint = re.search(r'<p class="govuk-body" id="retention">([^<]*)</p>', shares)
    days = app.config["CASE_RETENTION_DAYS"]
    assert hint is not None and f" {days} dagar efter att ärendet avslutades" in hint.group(1)


def test_an_officer_reading_the_history_is_told_when_closed_cases_go(
    app: Flask, client: FlaskClient
) -> None:
    officer_login(client, "skatteverket-1")
    days = app.config["CASE_RETENTION_DAYS"]

    history = client.get("/officer?queue=all").get_data(as_text=True)
    decided = client.get("/officer?queue=decided").get_data(as_text=True)
    waiting = client.get("/officer?queue=waiting").get_data(as_text=True)

    hint = re.search(r'<p class="govuk-hint" id="retention">([^<]*)</p>', history)
    assert hint is not None and f" {days} " in hint.group(1)
    assert 'id="retention"' in decided and 'id="retention"' not in waiting

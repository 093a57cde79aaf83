"""The inbox over 20,000 steps answers every filter, sort and page with a bounded number of SQL
queries, counted with an engine event listener (not timed)."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from contactpoint.db import paging
from contactpoint.db.inbox import InboxQuery, _counts, inbox
from contactpoint.db.models import Case, Person, Step, new_id
from contactpoint.extensions import db
from tests.helpers.officer import agency_headers, officer_login

AGENCY = "transportstyrelsen"  # its steps in the shipped life events never wait for anyone
CASES, STEPS_PER_CASE = 2_000, 10
MAX_QUERIES = 4  # the queue counts, the total of the filter, the page of rows (+ slack)
# status, ball, outcome, how many of every ten steps of a case
MIX = [
    ("waiting", "agency", None, 4),
    ("waiting", "citizen", None, 1),
    ("failed", "agency", None, 1),
]
MIX += [
    ("done", "none", "approved", 1),
    ("failed", "none", "rejected", 1),
    ("done", "none", None, 2),
]


@pytest.fixture()
def twenty_thousand_steps(app: Flask) -> Iterator[dict[str, int]]:
    """2,000 cases of 10 steps each at one agency, written with core bulk inserts."""
    rng = random.Random(6)
    moment = dt.datetime.now(dt.UTC)
    person_id, case_ids = new_id(), [new_id() for _ in range(CASES)]
    cases, steps = [], []
    expected = {"waiting": 0, "overdue": 0, "decided": 0, "citizen": 0, "failed": 0}
    for number, case_id in enumerate(case_ids):
        received = moment - dt.timedelta(days=rng.randrange(0, 40), minutes=number)
        cases.append(
            {
                "id": case_id,
                "reference": f"KP-LOAD{number:05d}",
                "person_id": person_id,
                "life_event": "moving" if number % 2 else "new-baby",
                "status": "in_progress",
                "answers": {},
                "consented_at": received,
                "created_at": received,
                "updated_at": received,
            }
        )
        position = 0
        for status, ball, outcome, count in MIX:
            for _ in range(count):
                due = received + dt.timedelta(days=rng.choice((5, 14, 30)))
                finished = received + dt.timedelta(days=1) if status != "waiting" else None
                steps.append(
                    {
                        "id": new_id(),
                        "case_id": case_id,
                        "position": position,
                        "key": f"load-{position}",
                        "agency": AGENCY,
                        "status": status,
                        "ball": ball,
                        "outcome": outcome,
                        "depends_on": [],
                        "fields": [],
                        "manual": True,
                        "attempts": 1,
                        "outputs": {},
                        "started_at": received,
                        "due_at": due,
                        "finished_at": finished,
                        "updated_at": finished or received,
                    }
                )
                position += 1
                if (status, ball) == ("waiting", "agency"):
                    expected["waiting"] += 1
                    expected["overdue"] += due < moment
                    expected["inserted_waiting"] = expected.get("inserted_waiting", 0) + 1
                expected["citizen"] += (status, ball) == ("waiting", "citizen")
                expected["failed"] += status == "failed" and outcome is None
    with app.app_context():  # steps other tests of the run left at the agency count as well
        for queue, condition in (
            ("waiting", sa.and_(Step.status == "waiting", Step.ball == "agency")),
            (
                "overdue",
                sa.and_(Step.status == "waiting", Step.ball == "agency", Step.due_at < moment),
            ),
            ("citizen", sa.and_(Step.status == "waiting", Step.ball == "citizen")),
            ("failed", sa.and_(Step.status == "failed", Step.outcome.is_(None))),
        ):
            before = sa.select(sa.func.count()).where(Step.agency == AGENCY, condition)
            expected[queue] = expected.get(queue, 0) + (db.session.scalar(before) or 0)
        db.session.execute(
            sa.insert(Person), [{"id": person_id, "personal_number": "LOAD-000001", "name": "Load"}]
        )
        db.session.execute(sa.insert(Case), cases)
        db.session.execute(sa.insert(Step), steps)
        db.session.commit()
        expected["decided"] = db.session.scalar(
            sa.select(sa.func.count()).where(
                Step.agency == AGENCY,
                Step.outcome.is_not(None),
                Step.finished_at >= moment - dt.timedelta(days=30),
            )
        )
    yield {"steps": len(steps), **expected}
    with app.app_context():
        db.session.execute(sa.delete(Step).where(Step.agency == AGENCY, Step.key.like("load-%")))
        db.session.execute(sa.delete(Case).where(Case.person_id == person_id))
        db.session.execute(sa.delete(Person).where(Person.id == person_id))
        db.session.commit()


@contextmanager
def counted(app: Flask) -> Iterator[list[str]]:
    """Every SQL statement the app sends while the block runs."""
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def test_the_inbox_of_20000_steps_takes_a_bounded_number_of_queries(
    app: Flask, client: FlaskClient, twenty_thousand_steps: dict[str, int]
) -> None:
    assert twenty_thousand_steps["steps"] == 20_000
    officer_login(client, f"{AGENCY}-1")
    pages = [
        "/officer",
        "/officer?queue=overdue&sort=due",
        "/officer?queue=waiting&sort=oldest&page=100",
        "/officer?queue=waiting&life_event=moving&older_than=14&sort=newest&page=3",
        "/officer?queue=decided&sort=updated",
        "/officer?queue=all&page=800",
        "/officer?queue=citizen&assigned=unassigned&reference=KP-LOAD00042",
    ]
    for url in pages:
        with counted(app) as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        read = [s for s in statements if "ended_sessions" not in s]  # not the session's check
        assert len(read) <= MAX_QUERIES, (url, statements)
        assert response.get_data(as_text=True).count("<tr data-step=") <= 25

    html = client.get("/officer").get_data(as_text=True)
    counts = dict(re.findall(r'queue=(\w+)"[^>]*>[^<]+<span class="kp-queue__count">(\d+)<', html))
    expected = twenty_thousand_steps
    assert expected["inserted_waiting"] == 8_000
    assert int(counts["waiting"]) == expected["waiting"]
    assert int(counts["overdue"]) == expected["overdue"]
    assert int(counts["decided"]) == expected["decided"]
    assert int(counts["citizen"]) == expected["citizen"] >= 2_000
    assert int(counts["failed"]) == expected["failed"] >= 2_000

    overdue = client.get("/officer?queue=overdue&sort=due").get_data(as_text=True)
    first = re.search(r'<tr data-step="(\w+)"', overdue)
    assert first
    with app.app_context():
        soonest = db.session.scalar(
            sa.select(Step.id)
            .where(Step.agency == AGENCY, Step.status == "waiting", Step.ball == "agency")
            .order_by(Step.due_at, Step.started_at, Step.id)
            .limit(1)
        )
    assert first.group(1) == soonest

    headers = agency_headers(client, AGENCY)
    with counted(app) as statements:
        response = client.get(
            f"/api/v1/agencies/{AGENCY}/steps?queue=waiting&per_page=100&page=40", headers=headers
        )
    assert response.status_code == 200 and len(response.json["items"]) == 100
    waiting = expected["waiting"]
    assert response.json["total"] == waiting and response.json["pages"] == -(-waiting // 100)
    read = [s for s in statements if "ended_sessions" not in s]  # the client's officer session
    assert len(read) <= MAX_QUERIES, statements


def test_a_page_of_a_long_queue_reads_the_cases_of_its_own_rows_only(
    app: Flask, twenty_thousand_steps: dict[str, int]
) -> None:
    """The page is chosen among the steps, and only its rows join their case: a queue of
    thousands costs a read of its steps, not a case read per step. PostgreSQL counts the rows
    each table gave in the current transaction (`pg_stat_xact_user_tables`)."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite counts no rows read per table")
        read = sa.text(
            "SELECT coalesce(idx_tup_fetch, 0) + seq_tup_read"
            " FROM pg_stat_xact_user_tables WHERE relname = 'cases'"
        )
        pages = {}
        for sort in ("due", "oldest", "updated"):
            db.session.rollback()
            before = db.session.scalar(read)  # not yet sent counts of earlier ones included
            found = inbox(InboxQuery(agency=AGENCY, queue="waiting", sort=sort, page=100))
            pages[sort] = (found.total, len(found.rows), db.session.scalar(read) - before)
        db.session.rollback()
    for sort, (total, rows, cases_read) in pages.items():  # the join joined 16,000 before
        assert (total, rows) == (twenty_thousand_steps["waiting"], 25), sort
        assert cases_read <= 2 * rows, (sort, cases_read)  # a plan may look at a few more


def test_the_metrics_show_each_agencys_backlog_as_its_inbox_counts_it(
    client: FlaskClient, twenty_thousand_steps: dict[str, int]
) -> None:
    text = client.get("/metrics").get_data(as_text=True)

    def sample(name: str) -> float:
        found = re.search(rf'^{name}{{agency="{AGENCY}"}} (\S+)$', text, re.MULTILINE)
        assert found, name
        return float(found.group(1))

    expected = twenty_thousand_steps
    assert sample("contactpoint_steps_waiting_for_agency") == expected["waiting"] >= 8_000
    assert sample("contactpoint_steps_overdue") == expected["overdue"] > 0
    assert sample("contactpoint_steps_waiting_for_citizen") == expected["citizen"]
    assert sample("contactpoint_steps_failed") == expected["failed"]  # rejected ones are decided
    assert 'contactpoint_steps_overdue{agency="skatteverket"}' in text


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The nodes of a PostgreSQL plan (EXPLAIN ANALYZE, JSON)."""
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def test_the_queue_of_all_history_is_counted_up_to_a_bound_and_says_so(
    app: Flask,
    client: FlaskClient,
    twenty_thousand_steps: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bound = 5_000  # below the 8,000 waiting steps, which are counted all the same
    waiting_count = twenty_thousand_steps["waiting"]
    monkeypatch.setattr(paging, "COUNTED_UP_TO", bound)
    headers = agency_headers(client, AGENCY)
    url = f"/api/v1/agencies/{AGENCY}/steps?queue=all&per_page=100&page=500"
    found = client.get(url, headers=headers).json
    assert (found["total"], found["pages"], found["page"]) == (bound, 50, 50)
    assert found["counts"]["all"] == bound and found["at_least"] == ["all", "total"]
    assert found["counts"]["waiting"] == waiting_count and len(found["items"]) == 100
    waiting = client.get(f"/api/v1/agencies/{AGENCY}/steps", headers=headers).json
    assert waiting["total"] == waiting_count and waiting["at_least"] == [
        "all"
    ]  # the rest are exact

    officer_login(client, f"{AGENCY}-1")
    html = client.get("/officer?queue=all").get_data(as_text=True)
    assert 'queue=all" aria-current="page">' in html
    assert f'<span class="kp-queue__count">{bound}+</span>' in html
    assert f"{bound}+ steps" in html and "a filter or a case reference" in html
    assert f'<span class="kp-queue__count">{waiting_count}</span>' in html  # waiting: exact
    exact = client.get("/officer?queue=waiting").get_data(as_text=True)
    assert f"{waiting_count} steps" in exact and "a filter or a case reference" not in exact

    with app.app_context():  # the count stops at the bound in the database, not after it
        if db.engine.dialect.name != "postgresql":
            return
        count = _counts([(AGENCY, "all")], dt.datetime.now(dt.UTC))
        sql = count.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True})
        explained = db.session.scalar(sa.text(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}"))
        db.session.rollback()
    plan = (json.loads(explained) if isinstance(explained, str) else explained)[0]["Plan"]
    limits = [node["Actual Rows"] for node in _nodes(plan) if node["Node Type"] == "Limit"]
    assert limits == [bound + 1]  # of 20,000 steps

"""A query reads a party's own cases through indexes: as many statements whatever else the
database holds, and a plan that reaches every table by an index, never by reading it whole."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from contactpoint.db.models import Case, Person, Step, new_id
from contactpoint.db.protection import sealings
from contactpoint.extensions import db
from contactpoint.mina_arenden import parties
from tests.helpers.statements import statements_of
from tests.mina_arenden.conftest import Known, ask, case_party, customer, query

OTHERS = 1_000


@pytest.fixture()
def crowd(app: Flask) -> Iterator[int]:
    """A thousand cases of somebody else, half made on behalf of yet others, each with a step
    its agency has given a reference; removed afterwards."""
    moment = dt.datetime.now(dt.UTC)
    with app.app_context():
        person = Person(personal_number="19550505-0505", name="Någon Annan")
        db.session.add(person)
        db.session.flush()
        cases = [
            {
                "id": new_id(),
                "reference": f"KP-C{number:07d}",
                "person_id": person.id,
                "life_event": "new-baby" if number % 2 else "moving",
                "on_behalf_of": f"2025{number % 12 + 1:02d}01-{number:04d}" if number % 2 else None,
                "status": "done",
                "answers": {},
                "consented_at": moment,
                "created_at": moment,
                "updated_at": moment,
            }
            for number in range(OTHERS)
        ]
        db.session.execute(sa.insert(Case), cases)
        steps = [
            {
                "id": new_id(),
                "case_id": case["id"],
                "position": 0,
                "key": "child-name",
                "agency": "skatteverket",
                "status": "done",
                "ball": "none",
                "agency_reference": f"SKV-C{number:07d}",
                "updated_at": moment,
            }
            for number, case in enumerate(cases)
        ]
        db.session.execute(sa.insert(Step), steps)
        db.session.commit()
        person_id = person.id
    yield OTHERS
    with app.app_context():
        db.session.execute(sa.delete(Step).where(Step.case_id.in_([c["id"] for c in cases])))
        db.session.execute(sa.delete(Case).where(Case.person_id == person_id))
        db.session.execute(sa.delete(Person).where(Person.id == person_id))
        db.session.commit()


def _asked(client: FlaskClient, body: dict[str, Any]) -> list[str]:
    """The SQL a query sends, besides the rate limit's and the session's."""
    sent = statements_of(lambda: ask(client, body))
    return [statement for statement in sent if "cases" in statement or "steps" in statement]


def test_a_party_costs_the_same_statements_however_many_cases_others_have(
    client: FlaskClient, known: Known, crowd: int
) -> None:
    person = customer(known.parent)
    both = customer(known.child) | case_party(known.baby)
    diary = case_party(known.moving_steps["housing-allowance"], "Diarienummer")
    assert len(_asked(client, query(person))) == 2  # the party's cases, then all of them at once
    assert len(_asked(client, query(both))) == 3
    assert len(_asked(client, query(person, both, diary))) == 5  # one read of every case


def _plan(statement: Any) -> str:
    """The plan the database makes for the statement (PostgreSQL: with sequential scans
    priced out, so that it takes an index wherever there is one)."""
    sql = statement.compile(
        dialect=db.engine.dialect,
        compile_kwargs={"render_postcompile": True, "literal_binds": True},
    )
    if db.engine.dialect.name == "sqlite":
        rows = db.session.execute(sa.text(f"EXPLAIN QUERY PLAN {sql}"))
        return "\n".join(str(row[-1]) for row in rows)
    db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    found = db.session.scalar(sa.text(f"EXPLAIN (FORMAT JSON) {sql}"))
    return json.dumps(json.loads(found) if isinstance(found, str) else found)


def test_every_lookup_reaches_its_rows_through_an_index(
    app: Flask, known: Known, crowd: int
) -> None:
    number = f"{known.parent[:8]}-{known.parent[8:]}"
    with app.app_context():
        lookups = [
            (parties.CASES_OF_NUMBER, {"sealed": sealings(number)}),
            (parties.CASES_OF_ORGANISATION, {"sealed": sealings("556612-3450")}),
            (parties.CASE_BY_REFERENCE, {"reference": known.moving}),
            (parties.CASES_BY_AGENCY_REFERENCE, {"reference": "SKV-C0000001"}),
            (parties.CASES_WITH_TIMELINES.statement, {"case_ids": [new_id(), new_id()]}),
        ]
        unindexed = sa.select(Case.id).where(Case.life_event == "moving")  # the check's check
        assert _reads_whole_tables(_plan(unindexed)) == {"cases"}
        for statement, params in lookups:
            plan = _plan(statement.params(**params))
            assert not _reads_whole_tables(plan), plan


def _reads_whole_tables(plan: str) -> set[str]:
    """The tables a plan reads from end to end."""
    db.session.rollback()
    if db.engine.dialect.name == "postgresql":
        nodes = re.findall(r'"Node Type": "Seq Scan"[^{}]*?"Relation Name": "(\w+)"', plan)
        return set(nodes)
    return {line.split()[1] for line in plan.splitlines() if line.startswith("SCAN ")}

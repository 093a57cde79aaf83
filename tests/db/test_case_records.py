"""A case, and a citizen's cases, each read in one statement: the rows in order, with the values
the ORM reads, and nothing of another case or another person."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from contactpoint.db.case_records import (
    CASE_COLUMNS,
    EVENT_COLUMNS,
    STEP_COLUMNS,
    case_record,
    case_records_of,
    overview_of,
)
from contactpoint.db.models import Case, CaseEvent, DataShare, Draft, Message, Person, Step
from contactpoint.db.statements import add_event
from contactpoint.extensions import db
from tests.helpers.statements import Collect, new_case, statements_of


def _values(row: Any, columns: tuple[sa.Column[Any], ...]) -> dict[str, Any]:
    return {column.name: getattr(row, column.name) for column in columns}


def test_a_case_reads_whole_in_one_statement_as_the_orm_has_it(collect: Collect) -> None:
    case_id, other_id = new_case(), new_case()
    steps = db.session.scalars(sa.select(Step).where(Step.case_id == case_id)).all()
    for position, step in enumerate(reversed(steps)):  # their order is not the insertion order
        step.position = position
        step.status_reason = f"reason {position}"
    db.session.commit()
    add_event(case_id, steps[0].id, "step_retry", agency=steps[0].agency, attempt=2)
    add_event(case_id, None, "case_reminded")
    db.session.commit()

    records = []
    sent = statements_of(lambda: records.append(case_record(case_id)))
    record = records[0]

    assert len(sent) == 1
    case = db.session.get(Case, case_id)
    assert case is not None
    assert _values(record.row, CASE_COLUMNS) == _values(case, CASE_COLUMNS)
    in_order = db.session.scalars(
        sa.select(Step).where(Step.case_id == case_id).order_by(Step.position)
    ).all()
    assert [_values(step, STEP_COLUMNS) for step in record.steps] == [
        _values(step, STEP_COLUMNS) for step in in_order
    ]
    assert [step.id for step in record.steps] == [step.id for step in reversed(steps)]
    lines = db.session.scalars(
        sa.select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
    ).all()
    assert [_values(line, EVENT_COLUMNS) for line in record.events] == [
        _values(line, EVENT_COLUMNS) for line in lines
    ]
    assert [line.kind for line in record.events][-2:] == ["step_retry", "case_reminded"]
    assert record.events[-2].detail == {"agency": steps[0].agency, "attempt": 2}
    other = case_record(other_id)
    assert other is not None and other.id == other_id
    assert not {step.id for step in other.steps} & {step.id for step in record.steps}


def test_a_case_that_is_not_there_reads_as_none(collect: Collect) -> None:
    assert case_record("0" * 32) is None


def test_a_citizens_cases_read_in_one_statement_newest_first_with_their_journeys(
    collect: Collect,
) -> None:
    person = Person(personal_number="19121212-1212", name="Tolvan Tolvansson")
    db.session.add(person)
    db.session.commit()
    person_id = person.id
    try:
        older, newer = _cases_of(person_id, 2)
        moment = dt.datetime.now(dt.UTC)
        for life_event, minutes_ago in (("moving", 5), ("new-baby", 1)):
            updated = moment - dt.timedelta(minutes=minutes_ago)
            db.session.add(Draft(person_id=person_id, life_event=life_event, updated_at=updated))
        db.session.commit()
        overview: list[Any] = []
        sent = statements_of(lambda: overview.append(overview_of(person_id)))
        records, drafts = overview[0]

        assert len(sent) == 1
        assert [record.id for record in records] == [newer, older]
        assert drafts == ["new-baby", "moving"]
        for record in records:
            in_order = db.session.scalars(
                sa.select(Step).where(Step.case_id == record.id).order_by(Step.position)
            ).all()
            assert [_values(step, STEP_COLUMNS) for step in record.steps] == [
                _values(step, STEP_COLUMNS) for step in in_order
            ]
            assert record.events == []
        listed = case_records_of(person_id)
        assert [(r.row, r.steps) for r in listed] == [(r.row, r.steps) for r in records]
        assert overview_of("0" * 32) == ([], [])
    finally:
        _remove(person_id)


def _cases_of(person_id: str, count: int) -> list[str]:
    """`count` cases of the example person's, handed to `person_id`, one minute apart; each
    case's steps given positions in the reverse of their insertion order."""
    made = []
    for number in range(count):
        case_id = new_case()
        case = db.session.get(Case, case_id)
        assert case is not None
        case.person_id = person_id
        case.created_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=count - number)
        for position, step in enumerate(reversed(case.steps)):
            step.position = position
        made.append(case_id)
    db.session.commit()
    return made


def _remove(person_id: str) -> None:
    db.session.rollback()
    ids = sa.select(Case.id).where(Case.person_id == person_id)
    for model in (CaseEvent, DataShare, Message, Step):
        db.session.execute(sa.delete(model).where(model.case_id.in_(ids)))
    db.session.execute(sa.delete(DataShare).where(DataShare.person_id == person_id))
    db.session.execute(sa.delete(Case).where(Case.person_id == person_id))
    db.session.execute(sa.delete(Draft).where(Draft.person_id == person_id))
    db.session.execute(sa.delete(Person).where(Person.id == person_id))
    db.session.commit()

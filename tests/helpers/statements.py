"""For the database tests: a dispatcher keeping what it is sent, the SQL sent, a new case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from contactpoint.bench.ours import automatic_answers
from contactpoint.citizen.cases import submit_case
from contactpoint.db.models import Person
from contactpoint.extensions import db
from workflows.lifeevents import catalogue


class Collect:
    """A dispatcher that keeps the steps sent, for the test to run one by one."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def dispatch(self, steps: list[tuple[str, str]]) -> None:
        self.sent.extend(step_id for step_id, _agency in steps)


def statements_of(action: Callable[[], Any]) -> list[str]:
    """The SQL every engine sends while `action` runs (the app's and any other of its own)."""
    sent: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", seen)
    try:
        action()
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", seen)
    return sent


def new_case(event_id: str = "moving") -> str:
    event = catalogue()[event_id]
    example = sa.select(Person).where(Person.personal_number == event.example_person)
    person = db.session.scalar(example)
    assert person is not None
    return str(submit_case(person, event, automatic_answers(event_id)).id)

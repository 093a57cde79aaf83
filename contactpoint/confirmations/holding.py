"""A new case's steps held back for another person's yes (`workflows.confirmations`): written
waiting with the ball on that person, with their confirmation, its timeline lines and the
message that asks them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from agencies.population import resident
from contactpoint.db.models import Confirmation, Person, new_id
from contactpoint.db.statements.events import add_event
from contactpoint.extensions import db
from workflows import Ball, LifeEvent, MessageKind, StepPlan, StepStatus
from workflows.confirmations import CaseFacts, confirmation_message, confirmations_needed
from workflows.message_types import NewMessage


@dataclass
class Held:
    """What holding a new case's steps writes, once the case itself is written."""

    confirmations: list[dict[str, Any]] = field(default_factory=list)
    messages: list[NewMessage] = field(default_factory=list)
    lines: list[tuple[str, str]] = field(default_factory=list)  # (step id, role)

    def write(self, case_id: str) -> None:
        """The confirmations and the timeline's lines, in the caller's transaction."""
        if not self.confirmations:
            return
        db.session.execute(sa.insert(Confirmation), self.confirmations)
        for step_id, role in self.lines:
            add_event(case_id, step_id, "confirmation_asked", role=role)


def person_id_for(personal_number: str) -> str:
    """The id of the person with this number, added (with the register's name) if new here."""
    found = db.session.scalar(sa.select(Person.id).where(Person.personal_number == personal_number))
    if found:
        return str(found)
    known = resident(personal_number)
    person = Person(personal_number=personal_number, name=known.name if known else "")
    db.session.add(person)
    db.session.commit()
    return person.id


def hold_steps(
    actor: Person,
    event: LifeEvent,
    plans: list[StepPlan],
    answers: dict[str, Any],
    subject: str | None,
    rows: list[dict[str, Any]],
    moment: dt.datetime,
) -> Held:
    """Mark the step rows that wait for someone's yes (before the case is settled), and say
    what to write with the case."""
    held = Held()
    facts = CaseFacts(actor=actor.personal_number, subject=subject, answers=answers)
    by_key = {row["key"]: row for row in rows}
    for needed in confirmations_needed(event, plans, facts):
        confirmation_id = new_id()
        person_id = person_id_for(needed.personal_number)
        held.confirmations.append(
            {
                "id": confirmation_id,
                "case_id": rows[0]["case_id"],
                "person_id": person_id,
                "role": needed.role,
                "state": "asked",
                "created_at": moment,
                "decided_at": None,
            }
        )
        for key in needed.steps:
            row = by_key[key]
            row |= {"status": StepStatus.WAITING, "ball": Ball.PERSON}
            row["confirmation_id"] = confirmation_id
            held.lines.append((row["id"], needed.role))
        held.messages.append(
            confirmation_message(
                MessageKind.CONFIRMATION,
                confirmation_id,
                person_id,
                rows[0]["case_id"],
                event.id,
                needed.role,
            )
        )
    return held

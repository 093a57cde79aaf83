"""The people a correction names, resolved against the population register as a
submission's are: the register decides who may be named, never the request."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from contactpoint.citizen.people import resolve_people
from contactpoint.db.models import Person
from workflows import LifeEvent, is_blank
from workflows.people import PEOPLE_TYPES


def people_resolved(
    person: Person,
    event: LifeEvent,
    changes: Mapping[str, Any],
    listed: Mapping[str, list[dict[str, Any]]] | None = None,
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The changes with the answer to each people question they change resolved against the
    people the register lists for `person` (keys, personal identity numbers or kept entries
    in; kept entries out), and what is wrong, by question. Those `listed` were read already;
    any other read of the register goes into the citizen's sharing log."""
    asked = [
        question
        for question in event.questions
        if question.type in PEOPLE_TYPES and not is_blank(changes.get(question.id))
    ]
    if not asked:
        return dict(changes), {}
    return resolve_people(person, event, changes, listed=listed, asked=asked)

"""What a person is asked to confirm, as they read it: who asks, for which life event, and
the steps (agency, title, why) that wait for their yes. Nothing else of the case is theirs."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from contactpoint.citizen.presenters import agency_name
from contactpoint.db.models import Case, Confirmation, Person, Step, utc
from contactpoint.extensions import db
from contactpoint.platform.i18n import current_language, in_language, text
from workflows import CONFIRMATION_ROLES, catalogue


def _view(found: Confirmation, case: Case, asker: str, language: str) -> dict[str, Any]:
    event = catalogue().get(case.life_event)
    declared = {step.id: step for step in event.steps} if event else {}
    steps = db.session.scalars(
        sa.select(Step).where(Step.confirmation_id == found.id).order_by(Step.position)
    )
    role = CONFIRMATION_ROLES.get(found.role)
    with in_language(language):
        return {
            "id": found.id,
            "state": found.state,
            "role": found.role,
            "role_text": text(role.text, language) if role else "",
            "life_event": case.life_event,
            "life_event_title": text(event.title, language) if event else case.life_event,
            "asked_by": asker,
            "created_at": utc(found.created_at),
            "decided_at": utc(found.decided_at),
            "steps": [
                {
                    "step": step.key,
                    "agency": step.agency,
                    "agency_name": agency_name(step.agency, language),
                    "title": text(declared[step.key].title, language)
                    if step.key in declared
                    else step.key,
                    "reason": text(declared[step.key].reason, language)
                    if step.key in declared
                    else "",
                }
                for step in steps
            ],
        }


def _rows(person_id: str, confirmation_id: str | None = None) -> list[Any]:
    query = (
        sa.select(Confirmation, Case, Person.name)
        .join(Case, Case.id == Confirmation.case_id)
        .join(Person, Person.id == Case.person_id)
        .where(Confirmation.person_id == person_id)
        .order_by(Confirmation.created_at.desc())
    )
    if confirmation_id is not None:
        query = query.where(Confirmation.id == confirmation_id)
    return list(db.session.execute(query))


def confirmations_of(person_id: str, language: str | None = None) -> list[dict[str, Any]]:
    """Everything the person has been asked to confirm, newest first."""
    language = language or current_language()
    return [_view(found, case, name, language) for found, case, name in _rows(person_id)]


def confirmation_of(
    person_id: str, confirmation_id: str, language: str | None = None
) -> dict[str, Any] | None:
    """One confirmation asked of this person; None for anyone else's, like a missing one."""
    language = language or current_language()
    rows = _rows(person_id, confirmation_id)
    return _view(rows[0][0], rows[0][1], rows[0][2], language) if rows else None

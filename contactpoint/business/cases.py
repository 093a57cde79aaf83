"""A company's cases, as everyone who may act for it sees them: each with who made it and on
what basis; and the refusal for a person who may not act for the company a case names."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from contactpoint.business.standing import business_events, standing
from contactpoint.citizen.presenters import case_view
from contactpoint.db.case_records import case_record
from contactpoint.db.models import Case, Confirmation, Person
from contactpoint.extensions import db
from contactpoint.platform.i18n import text
from workflows import LifeEvent, represented
from workflows.representation import BASES, Standing, company_name


def company_standing(person: Person, event: LifeEvent, answers: dict[str, Any]) -> Standing | None:
    """The person's standing for the company the answers name, in this life event."""
    number = represented(event.on_behalf_of, answers)
    return standing(person, number, event.id) if number else None


def company_refusal(
    person: Person, event: LifeEvent, answers: dict[str, Any]
) -> dict[str, list[str]]:
    """A plain refusal on the question naming the company, when the person may not act for
    it in this life event; nothing otherwise."""
    acting = event.on_behalf_of
    if acting is None or not acting.for_company:
        return {}
    if company_standing(person, event, answers) is not None:
        return {}
    return {acting.question: [text(acting.refused)]}


def company_cases(
    organisation_number: str, language: str | None = None, viewer: str | None = None
) -> list[dict[str, Any]]:
    """The company's cases, newest first, with their steps, who made each and on what basis;
    with `viewer` (a person's id), the confirmation each case waits for from them, if any."""
    rows = db.session.execute(
        sa.select(Case.id, Person.name, Case.acting_basis)
        .join(Person, Person.id == Case.person_id)
        .where(
            Case.on_behalf_of == organisation_number,
            Case.life_event.in_(business_events()),
        )
        .order_by(Case.created_at.desc())
    ).all()
    asked = dict(
        db.session.execute(
            sa.select(Confirmation.case_id, Confirmation.id).where(
                Confirmation.case_id.in_([row[0] for row in rows]),
                Confirmation.person_id == viewer,
                Confirmation.state == "asked",
            )
        ).all()
        if viewer and rows
        else []
    )
    views = []
    for case_id, name, basis in rows:
        record = case_record(case_id)
        if record is None:
            continue
        view = case_view(record, language, timeline=False)
        view["made_by"] = {
            "name": name,
            "basis": basis,
            "basis_text": text(BASES.get(basis or ""), language),
        }
        view["waits_for_me"] = asked.get(case_id)
        views.append(view)
    return views


def acting_for_case(case: Case, language: str | None = None) -> dict[str, Any] | None:
    """For a company's case, as its agencies' officers see it: the company, who acted for it
    and on what basis; None for anyone else's case."""
    if not case.acting_basis or not case.on_behalf_of:
        return None
    found = company_name(case.on_behalf_of)
    return {
        "organisation_number": case.on_behalf_of,
        "name": found,
        "acted_by": case.person.personal_number,
        "acted_by_name": case.person.name,
        "basis": case.acting_basis,
        "basis_text": text(BASES.get(case.acting_basis), language),
    }


def may_still_act(person: Person, case: Case) -> bool:
    """Whether the person may still act on the case they made: for a company's case, only
    while they may act for the company in its life event (a lapsed or revoked power of
    attorney stops what comes next, never what is done)."""
    if not case.acting_basis or not case.on_behalf_of:
        return True
    return standing(person, case.on_behalf_of, case.life_event) is not None

"""A person's standing for companies, read from the company register and the powers of
attorney held here."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from agencies.clock import today
from agencies.population import resident
from contactpoint.db.models import Person, PowerOfAttorneyRow
from contactpoint.extensions import db
from workflows import catalogue
from workflows.representation import (
    PowerOfAttorney,
    Standing,
    company_name,
    representations,
    standing_for,
)


def as_power(row: PowerOfAttorneyRow) -> PowerOfAttorney:
    """A stored power of attorney as the rules read it."""
    return PowerOfAttorney(
        id=row.id,
        organisation_number=row.organisation_number,
        holder=row.holder,
        granted_by=row.granted_by,
        life_events=tuple(row.life_events or ()),
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        confirmed_by=row.confirmed_by,
        revoked_at=row.revoked_at,
    )


def powers_held(personal_number: str) -> list[PowerOfAttorney]:
    """Every power of attorney given to this person, in force or not."""
    rows = db.session.scalars(
        sa.select(PowerOfAttorneyRow).where(PowerOfAttorneyRow.holder == personal_number)
    )
    return [as_power(row) for row in rows]


def powers_of(organisation_number: str) -> list[PowerOfAttorneyRow]:
    """Every power of attorney given for the company, newest first."""
    return list(
        db.session.scalars(
            sa.select(PowerOfAttorneyRow)
            .where(PowerOfAttorneyRow.organisation_number == organisation_number)
            .order_by(PowerOfAttorneyRow.created_at.desc())
        )
    )


def representations_of(person: Person) -> list[Standing]:
    """The companies the person may act for now, and on what basis."""
    number = person.personal_number
    return representations(number, powers_held(number), today())


def standing(person: Person, organisation_number: str, life_event: str | None) -> Standing | None:
    """The person's standing for the company (for the life event, if named), or None."""
    number = person.personal_number
    return standing_for(number, organisation_number, life_event, powers_held(number), today())


def business_events() -> list[str]:
    """The life events done for a company."""
    return [
        event.id
        for event in catalogue().values()
        if event.on_behalf_of is not None and event.on_behalf_of.for_company
    ]


def power_view(row: PowerOfAttorneyRow) -> dict[str, Any]:
    """A power of attorney as the company's representatives, its giver and its holder see it."""
    holder, giver = resident(row.holder), resident(row.granted_by)
    return {
        "id": row.id,
        "organisation_number": row.organisation_number,
        "company_name": company_name(row.organisation_number),
        "holder_name": holder.name if holder else None,
        "granted_by_name": giver.name if giver else None,
        "life_events": list(row.life_events),
        "valid_from": row.valid_from,
        "valid_until": row.valid_until,
        "state": as_power(row).state(today()),
        "created_at": row.created_at,
        "revoked_at": row.revoked_at,
    }

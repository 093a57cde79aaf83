"""The database made ready: its schema brought up to date, the test population loaded (with
its power of attorney: Lena Ekström gave Amira Haddad one for Ekström & Lund Bygg AB's life
events, and Per Lund, who signs with her, confirmed it)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import current_app
from flask_migrate import upgrade

from agencies.population import TEST_POPULATION
from contactpoint.db.models import Person, PowerOfAttorneyRow
from contactpoint.extensions import db

__all__ = ["TEST_POPULATION", "prepare_database", "seed_population"]


SEEDED_POWER = {
    "id": "testpopulationpowerofattorney001",
    "organisation_number": "556612-3450",
    "holder": "19950530-3462",
    "granted_by": "19780923-1249",
    "confirmed_by": "19810214-2356",
    "life_events": ["close-business", "hire-first-employee"],
    "valid_from": dt.date(2026, 1, 1),
    "valid_until": dt.date(2028, 12, 31),
    "created_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
}


def seed_powers() -> int:
    """Add the test population's power of attorney if it is not there; return how many."""
    if db.session.get(PowerOfAttorneyRow, SEEDED_POWER["id"]) is not None:
        return 0
    db.session.add(PowerOfAttorneyRow(**SEEDED_POWER))
    return 1


def seed_population() -> int:
    """Add the people of the test population who are not there yet; return how many."""
    known = set(db.session.scalars(sa.select(Person.personal_number)))
    added = 0
    for resident in TEST_POPULATION:
        if resident.personal_number not in known:
            db.session.add(Person(personal_number=resident.personal_number, name=resident.name))
            added += 1
    seed_powers()
    db.session.commit()
    return added


def prepare_database() -> int:
    """Bring the schema up to date and seed the test population; return how many were added."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    return seed_population() if current_app.config["ENVIRONMENT"] != "production" else 0

"""Load the synthetic test population (idempotent)."""

from __future__ import annotations

import sqlalchemy as sa

from agencies.population import TEST_POPULATION
from contactpoint.db.models import Person
from contactpoint.extensions import db

__all__ = ["TEST_POPULATION", "seed_population"]


def seed_population() -> int:
    """Add the people of the test population who are not there yet; return how many."""
    known = set(db.session.scalars(sa.select(Person.personal_number)))
    added = 0
    for resident in TEST_POPULATION:
        if resident.personal_number not in known:
            db.session.add(Person(personal_number=resident.personal_number, name=resident.name))
            added += 1
    db.session.commit()
    return added

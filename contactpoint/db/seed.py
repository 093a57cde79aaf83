"""The database made ready: its schema brought up to date, the test population loaded."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_migrate import upgrade

from agencies.population import TEST_POPULATION
from contactpoint.db.models import Person
from contactpoint.extensions import db

__all__ = ["TEST_POPULATION", "prepare_database", "seed_population"]


def seed_population() -> int:
    """Add the people of the test population who are not there yet; return how many."""
    known = set(db.session.scalars(sa.select(Person.personal_number)))
    added = 0
    for resident in TEST_POPULATION:
        if resident.personal_number not in known:
            db.session.add(Person(personal_number=resident.personal_number, name=resident.name))
            added += 1
    from contactpoint.business.seed import seed_powers  # the business package builds on db

    seed_powers()
    db.session.commit()
    return added


def prepare_database() -> int:
    """Bring the schema up to date and seed the test population; return how many were added."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    return seed_population() if current_app.config["ENVIRONMENT"] != "production" else 0

"""People of a test's own in the simulated population register: whatever the test makes happen
to them (a move, a death) leaves the shared test population as the other tests know it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa
from flask import Flask

from agencies.registers.recorded import PopulationRegister, people
from agencies.registers.recorded_tables import personal_number
from contactpoint.cli import main
from workflows import proactive

BORN = dt.date(1966, 5, 17)


def register_of(app: Flask) -> PopulationRegister:
    """The app's simulated population register."""
    register: PopulationRegister = app.extensions["population_register"]
    return register


def new_resident(
    app: Flask, name: str, municipality: str = "0180", with_mailbox: bool = False
) -> str:
    """A new adult living alone in the register (a street of their own), with a mailbox in
    Kontaktpunkt if asked (so that they can sign in through the API); their number."""
    with register_of(app).engine.begin() as connection:
        taken = set(
            connection.scalars(
                sa.select(people.c.personal_number).where(
                    people.c.personal_number.like(f"{BORN:%Y%m%d}-%")
                )
            )
        )
        serial = next(n for n in range(1, 1000) if personal_number(BORN, n) not in taken)
        number = personal_number(BORN, serial)
        connection.execute(
            sa.insert(people).values(
                personal_number=number,
                name=name,
                street=f"Provgatan {serial}",
                postal_code="111 22",
                municipality=municipality,
            )
        )
    if with_mailbox:
        with app.app_context():
            proactive.current().store.people_for({number: name})
    return number


def register_event(app: Flask, *args: str) -> dict[str, Any]:
    """`contactpoint sandbox register-event ...`, its JSON read back."""
    result = app.test_cli_runner().invoke(main, ["sandbox", "register-event", *args])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.output))

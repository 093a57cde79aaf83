"""A person's powers of attorney for companies, in their export: those they gave and those
they hold, in force or not."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from contactpoint.business.standing import power_view
from contactpoint.db.models import Person, PowerOfAttorneyRow
from contactpoint.extensions import db


def powers_export(person: Person) -> dict[str, list[dict[str, Any]]]:
    """The powers of attorney the person gave, and those they hold."""
    number = person.personal_number
    table = PowerOfAttorneyRow

    def where(*condition: Any) -> list[dict[str, Any]]:
        query = sa.select(table).where(*condition).order_by(table.created_at.desc())
        return [power_view(row) for row in db.session.scalars(query)]

    return {"given": where(table.granted_by == number), "held": where(table.holder == number)}

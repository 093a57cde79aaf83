"""The population register's own tables (in the simulated agencies' storage), the events it
publishes, the personal identity numbers it gives the newborn, and how the tables are first
written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.schema import CreateIndex, CreateTable
from stdnum import luhn

from ..municipalities import is_code
from ..population import REGISTER_ONLY, RELATIONS, TEST_POPULATION, Resident

metadata = sa.MetaData()

people = sa.Table(
    "register_people",
    metadata,
    sa.Column("personal_number", sa.String(13), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("street", sa.String(200), nullable=False),
    sa.Column("postal_code", sa.String(10), nullable=False),
    sa.Column("municipality", sa.String(40), nullable=False),
    sa.Column("died_on", sa.Date),
    sa.Column("passport_expires_on", sa.Date),
    # The proactive pass reads the passports running out in a window, in this order.
    sa.Index("ix_register_people_passport", "passport_expires_on", "personal_number"),
)

relations = sa.Table(
    "register_relations",
    metadata,
    sa.Column("person", sa.String(13), primary_key=True),
    sa.Column("kind", sa.String(20), primary_key=True),
    sa.Column("other", sa.String(13), primary_key=True),
    # Who stands in a relation to someone: a child's guardians, an estate's members.
    sa.Index("ix_register_relations_other", "other", "kind"),
)

events = sa.Table(
    "register_events",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("subject", sa.String(13), nullable=False),
    sa.Column("occurred_on", sa.Date, nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Index("register_events_by_subject", "subject", "kind", "occurred_on"),
)

# A change of address: where the person moved, and the municipality they left.
moves = sa.Table(
    "register_moves",
    metadata,
    sa.Column("event_id", sa.String(32), primary_key=True),
    sa.Column("street", sa.String(200), nullable=False),
    sa.Column("postal_code", sa.String(10), nullable=False),
    sa.Column("municipality", sa.String(40), nullable=False),
    sa.Column("previous_municipality", sa.String(40), nullable=False),
)

EVENT_KINDS = ("birth", "death", "change-of-address")
# To whom each kind of event is published: the relation to its subject (None: the subject).
EVENT_RELATIONS: dict[str, str | None] = {
    "birth": "guardian",
    "death": "estate_member",
    "change-of-address": None,
}
# A person whose passport the test population says runs out soon.
PASSPORTS: dict[str, dt.date] = {"19440225-3274": dt.date(2027, 2, 20)}


@dataclass(frozen=True)
class RegisterEvent:
    """One change the register published: `subject` is the child born, the person who died
    or the person who moved; `related` the people it concerns (guardians, estate members, the
    person who moved); `address` where a person moved, with the `previous_municipality`."""

    id: str
    kind: str
    subject: str
    name: str
    occurred_on: dt.date
    related: tuple[str, ...]
    address: Mapping[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """As the register's system prints it."""
        found: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "personal_number": self.subject,
            "name": self.name,
            "occurred_on": self.occurred_on.isoformat(),
        }
        found["guardians" if self.kind == "birth" else "related"] = list(self.related)
        if self.address:
            found["address"] = {
                key: self.address[key] for key in ("street", "postal_code", "municipality")
            }
            found["previous_municipality"] = self.address["previous_municipality"]
        return found


def personal_number(born: dt.date, serial: int) -> str:
    """A valid personal identity number YYYYMMDD-NNNC for a birth date and a serial (0-999)."""
    digits = f"{born:%y%m%d}{serial % 1000:03d}"
    return f"{born:%Y%m%d}-{serial % 1000:03d}{luhn.calc_check_digit(digits)}"


def resident_row(resident: Resident) -> dict[str, Any]:
    return {
        "personal_number": resident.personal_number,
        "name": resident.name,
        "street": resident.street,
        "postal_code": resident.postal_code,
        "municipality": resident.municipality,
        "died_on": dt.date.fromisoformat(resident.died_on) if resident.died_on else None,
        "passport_expires_on": PASSPORTS.get(resident.personal_number),
    }


def prepare(connection: sa.Connection) -> None:
    """The register's tables, written with the test population when they are empty."""
    for table in metadata.sorted_tables:
        connection.execute(CreateTable(table, if_not_exists=True))
        for index in table.indexes:
            connection.execute(CreateIndex(index, if_not_exists=True))
    everyone = TEST_POPULATION + REGISTER_ONLY
    if connection.scalar(sa.select(sa.func.count()).select_from(people)) == 0:
        connection.execute(sa.insert(people), [resident_row(r) for r in everyone])
        rows = [{"person": r.person, "kind": r.kind, "other": r.other} for r in RELATIONS]
        connection.execute(sa.insert(relations), rows)
        return
    # A register written before every municipality was held by its SCB code ("uppsala").
    shipped = {r.personal_number: r.municipality for r in everyone}
    held = connection.execute(
        sa.select(people.c.personal_number, people.c.municipality).where(
            people.c.personal_number.in_(list(shipped))
        )
    )
    for row in list(held):
        if not is_code(row.municipality):
            connection.execute(
                sa.update(people)
                .where(people.c.personal_number == row.personal_number)
                .values(municipality=shipped[str(row.personal_number)])
            )


def person_row(connection: sa.Connection, number: str) -> Any:
    """The register's row of the person with this number; LookupError if it has none."""
    found = connection.execute(
        sa.select(people).where(people.c.personal_number == number)
    ).one_or_none()
    if found is None:
        raise LookupError(number)
    return found


def adults_at_home(connection: sa.Connection, person: Any, day: dt.date) -> list[str]:
    """The living adults registered at the person's address."""
    adult_born_by = dt.date(day.year - 18, day.month, min(day.day, 28))
    rows: list[str] = list(
        connection.scalars(
            sa.select(people.c.personal_number).where(
                people.c.street == person.street,
                people.c.postal_code == person.postal_code,
                people.c.died_on.is_(None),
                people.c.personal_number != person.personal_number,
            )
        )
    )
    return [
        number
        for number in rows
        if dt.date(int(number[:4]), int(number[4:6]), int(number[6:8])) <= adult_born_by
    ]

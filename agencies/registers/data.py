"""What the simulated base registers hold, built on the synthetic test population."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..population import REGISTER_ONLY, RELATIONS, TEST_POPULATION, Resident

# The population register's marital status of the adults in the test population.
MARITAL_STATUS: dict[str, str] = {
    "19850312-2387": "married",
    "19870715-4574": "married",
    "19440225-3274": "widowed",
    "19700101-6356": "unmarried",
    "19920604-2823": "married",
    "19900118-3376": "married",
}

# Ages at which a child usually goes to preschool, and to school (förskoleklass to year 9).
PRESCHOOL_AGES = range(1, 6)
SCHOOL_AGES = range(6, 16)


@dataclass(frozen=True)
class Company:
    """A business in the company register."""

    organisation_number: str
    form: str
    name: str
    address: dict[str, str]
    roles: dict[str, str]


COMPANIES: tuple[Company, ...] = (
    Company(
        "700101-6356",  # a sole trader's organisation number is their personal identity number
        "sole_trader",
        "Nilssons Båtservice",
        {"street": "Hamngatan 2", "postal_code": "211 22", "city": "Malmö"},
        {"19700101-6356": "owner"},
    ),
)

COMPANIES += (
    Company(
        "400312-1011",
        "sole_trader",
        "Svens Snickeri",
        {"street": "Ystadvägen 40", "postal_code": "214 45", "city": "Malmö"},
        {"19400312-1011": "owner"},
    ),
)

# Vehicles in the vehicle register, by owner.
VEHICLES: dict[str, tuple[dict[str, Any], ...]] = {
    "19850312-2387": ({"registration": "ABC 123", "make": "Volvo", "model": "V70", "year": 2018},),
}
VEHICLES["19410830-4132"] = (
    {"registration": "GUS 410", "make": "Saab", "model": "9-5", "year": 2009},
)
VEHICLES["19400312-1011"] = (
    {"registration": "KLM 456", "make": "Toyota", "model": "Hilux", "year": 2012},
)


def birth_date(personal_number: str) -> dt.date:
    """The date of birth in a personal identity number written YYYYMMDD-NNNN."""
    return dt.datetime.strptime(personal_number[:8], "%Y%m%d").date()


def age(personal_number: str, today: dt.date) -> int:
    """Age in whole years on `today`."""
    born = birth_date(personal_number)
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def everyone() -> tuple[Resident, ...]:
    """Every person the population register knows, living or dead."""
    return TEST_POPULATION + REGISTER_ONLY


def children_of(guardian: str) -> list[Resident]:
    """The living children the register records `guardian` as guardian of."""
    people = {person.personal_number: person for person in everyone()}
    return [
        people[relation.other]
        for relation in RELATIONS
        if relation.person == guardian
        and relation.kind == "guardian"
        and relation.other in people
        and people[relation.other].died_on is None
    ]


# Spouses and registered partners in the population register, each way.
SPOUSES: dict[str, str] = {
    "19850312-2387": "19870715-4574",
    "19870715-4574": "19850312-2387",
    "19920604-2823": "19900118-3376",
    "19900118-3376": "19920604-2823",
}


def spouse_of(personal_number: str) -> str | None:
    """The living spouse or registered partner the register records, if any."""
    other = SPOUSES.get(personal_number)
    found = next((p for p in everyone() if p.personal_number == other), None)
    return other if found is not None and found.died_on is None else None

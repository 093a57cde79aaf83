"""What the simulated base registers hold, built on the synthetic test population."""

from __future__ import annotations

import datetime as dt
import functools
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
    "19780923-1249": "married",
    "19810214-2356": "unmarried",
    "19950530-3462": "unmarried",
}

# Ages at which a child usually goes to preschool, and to school (förskoleklass to year 9).
PRESCHOOL_AGES = range(1, 6)
SCHOOL_AGES = range(6, 16)


@dataclass(frozen=True)
class Company:
    """A business in the company register: who holds a role in it, and how it is signed for
    (`alone`: each signatory by themselves; `jointly`: two signatories together)."""

    organisation_number: str
    form: str
    name: str
    address: dict[str, str]
    roles: dict[str, str]
    signing: str = "alone"
    registered_for: tuple[str, ...] = ("f_tax",)
    activity: str = ""


COMPANIES: tuple[Company, ...] = (
    Company(
        "700101-6356",  # a sole trader's organisation number is their personal identity number
        "sole_trader",
        "Nilssons Båtservice",
        {"street": "Hamngatan 2", "postal_code": "211 22", "city": "Malmö"},
        {"19700101-6356": "owner"},
    ),
    Company(
        "556612-3450",
        "limited_company",
        "Ekström & Lund Bygg AB",
        {"street": "Verkstadsgatan 12", "postal_code": "417 05", "city": "Göteborg"},
        {"19780923-1249": "board_member", "19810214-2356": "board_member"},
        signing="jointly",
        registered_for=("f_tax", "vat"),
        activity="Byggverksamhet och renovering",
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

# The roles that sign for a company (firmatecknare); an owner of a sole trader business signs.
SIGNING_ROLES = ("owner", "board_member", "managing_director")


def company(organisation_number: str) -> Company | None:
    """The company with this organisation number in the register (written with or without
    its hyphen, or with the 16 some systems put before it)."""
    digits = "".join(ch for ch in str(organisation_number) if ch.isdigit())
    digits = digits[2:] if len(digits) == 12 and digits.startswith("16") else digits
    return next((c for c in COMPANIES if c.organisation_number.replace("-", "") == digits), None)


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


@functools.lru_cache(maxsize=4096)
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

"""Simulated base registers: they take time, sometimes do not answer, and hold the test data."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from .. import clock
from ..population import Resident, relations_of, resident, residents
from .base import Register, RegisterUnavailable
from .data import (
    COMPANIES,
    MARITAL_STATUS,
    PRESCHOOL_AGES,
    SCHOOL_AGES,
    VEHICLES,
    age,
    children_of,
    company,
    spouse_of,
)


@dataclass(frozen=True)
class RegisterBehaviour:
    """How a simulated register behaves: latency and the share of lookups that fail."""

    latency_ms: float = 0.0
    failure_rate: float = 0.0


# A move the register recorded this many days back is the one a moving case now reports.
MOVE_REGISTERED_DAYS = 60


class SimulatedRegister(Register):
    """A register answering from the test data, with latency and occasional failure."""

    def __init__(
        self,
        register: str,
        behaviour: RegisterBehaviour | None = None,
        rng: random.Random | None = None,
        today: Callable[[], dt.date] = clock.today,
    ) -> None:
        super().__init__(register)
        self.behaviour = behaviour or RegisterBehaviour()
        self.rng = rng or random.Random()
        self.today = today

    def lookup(self, personal_number: str, facts: Collection[str]) -> Mapping[str, Any]:
        """Only the facts asked for, after a delay; sometimes the register does not answer."""
        if self.behaviour.latency_ms:
            time.sleep(self.rng.uniform(0.5, 1.5) * self.behaviour.latency_ms / 1000)
        if self.behaviour.failure_rate and self.rng.random() < self.behaviour.failure_rate:
            raise RegisterUnavailable(f"the {self.register} register did not answer")
        held = self.facts_of(personal_number)
        if self.register == "population" and "guardian_of" in facts and "name" in held:
            held["guardian_of"] = guardian_of(personal_number)  # read from the records: asked
        return {fact: held[fact] for fact in facts if fact in held}

    def facts_of(self, personal_number: str) -> dict[str, Any]:
        """Everything the register holds about the person (it hands out only what is asked),
        but the children in their care, which are read from its records only when asked."""
        readers = {"population": population, "companies": companies, "vehicles": vehicles}
        return readers[self.register](personal_number, self.today())


def population(personal_number: str, today: dt.date) -> dict[str, Any]:
    """The population register's facts about a person."""
    spouse = spouse_of(personal_number)
    children = children_of(personal_number)
    numbers = [
        personal_number,
        *([spouse] if spouse else []),
        *(c.personal_number for c in children),
    ]
    now = residents(numbers)  # where the register holds each of them now, read once
    person = now.get(personal_number)
    if person is None:
        return {}
    home = (person.street, person.postal_code)
    children = [now.get(child.personal_number, child) for child in children]
    at_home = [child for child in children if (child.street, child.postal_code) == home]
    ages = [age(child.personal_number, today) for child in at_home]
    members = [(now[spouse], "spouse")] if spouse in now else []
    members += [(child, "child") for child in children]
    return {
        "name": person.name,
        "street": person.street,
        "postal_code": person.postal_code,
        "municipality": person.municipality,
        "marital_status": MARITAL_STATUS.get(personal_number, "unmarried"),
        "children": [
            {"name": child.name, "age": age(child.personal_number, today)} for child in children
        ],
        "children_at_home": bool(at_home),
        "school_age_children_at_home": any(a in SCHOOL_AGES for a in ages),
        "preschool_age_children_at_home": any(a in PRESCHOOL_AGES for a in ages),
        "has_spouse": spouse is not None,
        "household": household(home, members),
        "move_registered": moved_recently(person, today),
    } | ({"date_of_death": person.died_on} if person.died_on else {})


def moved_recently(person: Resident, today: dt.date) -> bool:
    """Whether the register recorded a change of address for the person within the last
    `MOVE_REGISTERED_DAYS` days (the test population's own addresses are where they have
    always lived)."""
    if person.moved_on is None:
        return False
    return dt.date.fromisoformat(person.moved_on) >= today - dt.timedelta(days=MOVE_REGISTERED_DAYS)


def listed(person: Resident, relation: str) -> dict[str, Any]:
    """A person as a people fact lists them: the number and name the agencies need, and the
    first name, year of birth and relation a page shows (a child not yet named has no first
    name: a newborn is registered by the surname alone)."""
    names = person.name.split()
    return {
        "personal_number": person.personal_number,
        "name": person.name,
        "first_name": names[0] if len(names) > 1 else "",
        "born": int(person.personal_number[:4]),
        "relation": relation,
    }


def guardian_of(personal_number: str) -> list[dict[str, Any]]:
    """The living children the register records the person as guardian of, a child whose
    birth was recorded since included."""
    found = (resident(number) for number in relations_of(personal_number, "guardian"))
    return [listed(child, "child") for child in found if child and child.died_on is None]


def household(home: tuple[str, str], members: list[tuple[Resident, str]]) -> list[dict[str, Any]]:
    """Who lives with the person at `home`: spouse or partner, and children (a page shows them
    by first name and year of birth only, never by their personal identity number)."""
    return [
        listed(p, kind)
        for p, kind in members
        if (p.street, p.postal_code) == home and p.died_on is None
    ]


def companies(key: str, today: dt.date) -> dict[str, Any]:
    """The company register's facts: about a company, asked by its organisation number, or
    about the businesses a person has a role in, asked by their personal identity number."""
    named = company(key)
    if named is not None:
        return {
            "has_company": True,
            "organisation_number": named.organisation_number,
            "company_form": named.form,
            "company_name": named.name,
            "company_address": dict(named.address),
            "registered_for": list(named.registered_for),
            "company_activity": named.activity or named.name,
        }
    personal_number = key
    held = [c for c in COMPANIES if personal_number in c.roles]
    if not held:
        return {"has_company": False, "roles": []}
    first = held[0]
    return {
        "has_company": True,
        "organisation_number": first.organisation_number,
        "company_form": first.form,
        "company_name": first.name,
        "company_address": dict(first.address),
        "roles": [
            {"organisation_number": c.organisation_number, "role": c.roles[personal_number]}
            for c in held
        ],
    }


def vehicles(personal_number: str, today: dt.date) -> dict[str, Any]:
    """The vehicle register's facts: the vehicles a person owns."""
    owned = [dict(vehicle) for vehicle in VEHICLES.get(personal_number, ())]
    return {"owns_vehicle": bool(owned), "vehicles": owned}

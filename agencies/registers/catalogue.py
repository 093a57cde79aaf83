"""The base registers: which agency keeps each, its names, and the facts it can answer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# The question types a fact can answer; "list" facts are shown and exported, never asked.
FactType = str


@dataclass(frozen=True)
class RegisterInfo:
    """A base register's description (its metadata, as recommendation 37 asks)."""

    id: str
    agency: str
    name: Mapping[str, str]
    facts: Mapping[str, FactType]


REGISTERS: dict[str, RegisterInfo] = {
    info.id: info
    for info in (
        RegisterInfo(
            "population",
            "skatteverket",
            {"sv": "folkbokföringen", "en": "the population register"},
            {
                "name": "text",
                "street": "text",
                "postal_code": "text",
                "municipality": "one_of",
                "marital_status": "one_of",
                "children": "list",
                "children_at_home": "yes_no",
                "school_age_children_at_home": "yes_no",
                "preschool_age_children_at_home": "yes_no",
                "guardian_of": "list",
            },
        ),
        RegisterInfo(
            "companies",
            "bolagsverket",
            {"sv": "företagsregistret", "en": "the company register"},
            {
                "has_company": "yes_no",
                "organisation_number": "organisation_number",
                "company_form": "one_of",
                "company_name": "text",
                "company_address": "address",
                "roles": "list",
            },
        ),
        RegisterInfo(
            "vehicles",
            "transportstyrelsen",
            {"sv": "fordonsregistret", "en": "the vehicle register"},
            {"owns_vehicle": "yes_no", "vehicles": "list"},
        ),
    )
}


def split_fact(reference: str) -> tuple[str, str]:
    """`population.children_at_home` as ("population", "children_at_home")."""
    register, _, fact = reference.partition(".")
    return register, fact


def fact_type(reference: str) -> FactType | None:
    """The type of a fact named `register.fact`, or None if no register holds it."""
    register, fact = split_fact(reference)
    info = REGISTERS.get(register)
    return info.facts.get(fact) if info else None

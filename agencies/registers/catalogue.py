"""The base registers: which agency keeps each, its names, and the facts it can answer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# The question types a fact can answer; "list" facts are shown and exported, never asked;
# "people" facts list people a one_person or several_people question offers.
FactType = str
LANGUAGES = ("sv", "en")


def missing_languages(text: Mapping[str, str]) -> list[str]:
    """The languages a catalogue text lacks: every name a person reads needs sv and en."""
    return [language for language in LANGUAGES if not str(text.get(language) or "").strip()]


@dataclass(frozen=True)
class Fact:
    """A fact a register holds: the question type it answers and its name in each language."""

    type: FactType
    text: Mapping[str, str]

    def __post_init__(self) -> None:
        if missing_languages(self.text):
            raise ValueError(f"the fact {self.text!r} needs a text in {LANGUAGES}")


@dataclass(frozen=True)
class RegisterInfo:
    """A base register's description (its metadata, as recommendation 37 asks)."""

    id: str
    agency: str
    name: Mapping[str, str]
    facts: Mapping[str, Fact]

    def __post_init__(self) -> None:
        if missing_languages(self.name):
            raise ValueError(f"the register {self.id!r} needs a name in {LANGUAGES}")


REGISTERS: dict[str, RegisterInfo] = {
    info.id: info
    for info in (
        RegisterInfo(
            "population",
            "skatteverket",
            {"sv": "folkbokföringen", "en": "the population register"},
            {
                "name": Fact("text", {"sv": "Namn", "en": "Name"}),
                "street": Fact("text", {"sv": "Gatuadress", "en": "Street address"}),
                "postal_code": Fact("text", {"sv": "Postnummer", "en": "Postcode"}),
                "municipality": Fact("municipality", {"sv": "Kommun", "en": "Municipality"}),
                "marital_status": Fact("one_of", {"sv": "Civilstånd", "en": "Marital status"}),
                "children": Fact("list", {"sv": "Barn", "en": "Children"}),
                "children_at_home": Fact(
                    "yes_no",
                    {"sv": "Om barn bor hemma hos dig", "en": "Whether children live with you"},
                ),
                "school_age_children_at_home": Fact(
                    "yes_no",
                    {
                        "sv": "Om barn i skolåldern bor hemma hos dig",
                        "en": "Whether school-age children live with you",
                    },
                ),
                "preschool_age_children_at_home": Fact(
                    "yes_no",
                    {
                        "sv": "Om barn i förskoleåldern bor hemma hos dig",
                        "en": "Whether preschool-age children live with you",
                    },
                ),
                "date_of_death": Fact("date", {"sv": "Dödsdatum", "en": "Date of death"}),
                "has_spouse": Fact(
                    "yes_no",
                    {"sv": "Om du är gift eller har partner", "en": "Whether you have a spouse"},
                ),
                "move_registered": Fact(
                    "yes_no",
                    {
                        "sv": "Om Skatteverket har registrerat din flytt de senaste 60 dagarna",
                        "en": "Whether Skatteverket registered your move in the last 60 days",
                    },
                ),
                "household": Fact(
                    "people",
                    {"sv": "De som bor med dig", "en": "The people who live with you"},
                ),
                "guardian_of": Fact(
                    "people",
                    {
                        "sv": "Barn som du är vårdnadshavare för",
                        "en": "Children you are a guardian of",
                    },
                ),
            },
        ),
        RegisterInfo(
            "companies",
            "bolagsverket",
            {"sv": "företagsregistret", "en": "the company register"},
            {
                "has_company": Fact(
                    "yes_no", {"sv": "Om du har ett företag", "en": "Whether you have a company"}
                ),
                "organisation_number": Fact(
                    "organisation_number",
                    {"sv": "Organisationsnummer", "en": "Organisation number"},
                ),
                "company_form": Fact("one_of", {"sv": "Företagsform", "en": "Form of company"}),
                "company_name": Fact("text", {"sv": "Företagets namn", "en": "Company name"}),
                "company_address": Fact(
                    "address", {"sv": "Företagets adress", "en": "Company address"}
                ),
                "roles": Fact(
                    "list", {"sv": "Dina roller i företag", "en": "Your roles in companies"}
                ),
                "registered_for": Fact(
                    "several_of",
                    {"sv": "Vad företaget är registrerat för", "en": "What it is registered for"},
                ),
                "company_activity": Fact(
                    "text", {"sv": "Företagets verksamhet", "en": "The company's activity"}
                ),
            },
        ),
        RegisterInfo(
            "vehicles",
            "transportstyrelsen",
            {"sv": "fordonsregistret", "en": "the vehicle register"},
            {
                "owns_vehicle": Fact(
                    "yes_no", {"sv": "Om du äger ett fordon", "en": "Whether you own a vehicle"}
                ),
                "vehicles": Fact("list", {"sv": "Dina fordon", "en": "Your vehicles"}),
            },
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
    found = info.facts.get(fact) if info else None
    return found.type if found else None


def fact_text(reference: str) -> Mapping[str, str] | None:
    """The name of a fact named `register.fact` in each language, or None if no register
    holds it."""
    register, fact = split_fact(reference)
    info = REGISTERS.get(register)
    found = info.facts.get(fact) if info else None
    return found.text if found else None

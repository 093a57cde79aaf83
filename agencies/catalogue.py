"""The agencies Kontaktpunkt reaches, with the names and plain-language roles citizens see."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from . import municipalities
from .registers.catalogue import LANGUAGES, missing_languages


@dataclass(frozen=True)
class Agency:
    """An agency: its id, its names, what it does, and its prefix for reference numbers."""

    id: str
    name: dict[str, str]
    role: dict[str, str]
    reference_prefix: str
    max_retries: int = 5
    # A common noun ("the municipality") takes a small letter inside a sentence.
    common_noun: bool = False
    # What it issues when it registers a submission, for later steps (an organisation
    # number): each by its field name, with that field's name in each language.
    issues: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        texts = {"name": self.name, "role": self.role, **self.issues}
        for place, text in texts.items():
            if missing_languages(text):
                raise ValueError(f"the agency {self.id!r}: {place} needs a text in {LANGUAGES}")


AGENCIES: dict[str, Agency] = {
    agency.id: agency
    for agency in (
        Agency(
            "skatteverket",
            {"sv": "Skatteverket", "en": "Skatteverket (Swedish Tax Agency)"},
            {
                "sv": "håller folkbokföringen och tar in skatt",
                "en": "keeps the population register and collects tax",
            },
            "SKV",
        ),
        Agency(
            "forsakringskassan",
            {"sv": "Försäkringskassan", "en": "Försäkringskassan (Social Insurance Agency)"},
            {
                "sv": "betalar ut bostadsbidrag, föräldrapenning och barnbidrag",
                "en": "pays housing allowance, parental benefit and child allowance",
            },
            "FK",
        ),
        Agency(
            "csn",
            {"sv": "CSN", "en": "CSN (Swedish Board of Student Finance)"},
            {"sv": "betalar ut studiemedel", "en": "pays student finance"},
            "CSN",
        ),
        Agency(
            "transportstyrelsen",
            {"sv": "Transportstyrelsen", "en": "Transportstyrelsen (Swedish Transport Agency)"},
            {"sv": "håller fordonsregistret", "en": "keeps the vehicle register"},
            "TS",
        ),
        Agency(
            "pensionsmyndigheten",
            {"sv": "Pensionsmyndigheten", "en": "Pensionsmyndigheten (Swedish Pensions Agency)"},
            {
                "sv": "betalar ut pension och bostadstillägg",
                "en": "pays pensions and housing supplement",
            },
            "PM",
        ),
        Agency(
            "bolagsverket",
            {"sv": "Bolagsverket", "en": "Bolagsverket (Swedish Companies Registration Office)"},
            {"sv": "registrerar företag", "en": "registers companies"},
            "BV",
            issues={
                "organisation_number": {"sv": "Organisationsnummer", "en": "Organisation number"}
            },
        ),
        Agency(
            "arbetsmiljoverket",
            {
                "sv": "Arbetsmiljöverket",
                "en": "Arbetsmiljöverket (Swedish Work Environment Authority)",
            },
            {"sv": "ser till att arbetsplatser är säkra", "en": "sees that workplaces are safe"},
            "AV",
        ),
        # Sweden's unemployment funds (a-kassor) are associations, not agencies; one adapter
        # stands for them all, as each fund takes the same notice.
        Agency(
            "akassa",
            {"sv": "A-kassan", "en": "The unemployment fund (a-kassa)"},
            {
                "sv": "betalar ut pengar till den som inte har arbete",
                "en": "pays unemployment benefit",
            },
            "AK",
            common_noun=True,
        ),
    )
}


MUNICIPALITY_ROLE = {
    "sv": "ansvarar för skola, förskola, livsmedelskontroll och familjerätt i kommunen",
    "en": "runs schools and preschools, food control and family law in the municipality",
}

# Each of the 290 municipalities is an agency of its own.
AGENCIES |= {
    municipalities.agency_id(code): Agency(
        municipalities.agency_id(code),
        {"sv": municipalities.swedish_name(code), "en": municipalities.english_name(code)},
        MUNICIPALITY_ROLE,
        f"K{code}",
    )
    for code in municipalities.MUNICIPALITIES
}

# What a life event's step names before its answers say which municipality it goes to.
MUNICIPALITY_FAMILY = Agency(
    municipalities.FAMILY,
    {"sv": "Kommunen", "en": "The municipality"},
    MUNICIPALITY_ROLE,
    "K",
    common_noun=True,
)


def describe(agency: str) -> Agency | None:
    """The agency with this id, or the municipalities' family; None if unknown."""
    return MUNICIPALITY_FAMILY if agency == municipalities.FAMILY else AGENCIES.get(agency)


def queue_for(agency: str) -> str:
    """The Celery queue that carries this agency's steps: the municipalities share one."""
    if municipalities.code_of(agency):
        return f"agency.{municipalities.FAMILY}"
    return f"agency.{agency}"


def all_agency_queues() -> list[str]:
    """Every agency queue, once each."""
    return list(dict.fromkeys(queue_for(agency) for agency in AGENCIES))

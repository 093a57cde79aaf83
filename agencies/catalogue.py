"""The agencies Kontaktpunkt reaches, with the names and plain-language roles citizens see."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

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
            "kommun",
            {"sv": "Kommunen", "en": "The municipality"},
            {"sv": "ansvarar för skola och förskola", "en": "runs schools and preschools"},
            "KOM",
            common_noun=True,
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
    )
}


def queue_for(agency: str) -> str:
    """The Celery queue that carries this agency's steps."""
    return f"agency.{agency}"

"""Who the simulated population register knows: a person as it records them, and the
relations between people that decide who may act for whom."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

RelationKind = Literal["guardian", "estate_member"]
# `representative`: the company register (a signatory) or a power of attorney decides.
RELATION_KINDS: tuple[str, ...] = ("guardian", "estate_member", "representative")
RELATION_NAMES: dict[str, dict[str, str]] = {
    "guardian": {
        "sv": "Du gör det här som barnets vårdnadshavare.",
        "en": "You do this as the child's guardian.",
    },
    "estate_member": {
        "sv": "Du gör det här som delägare i dödsboet.",
        "en": "You do this as a member of the estate.",
    },
    "representative": {
        "sv": "Du gör det här för företaget, som firmatecknare eller med fullmakt.",
        "en": "You do this for the company, as a signatory or with a power of attorney.",
    },
}


@dataclass(frozen=True)
class Resident:
    """A person in the simulated population register."""

    personal_number: str
    name: str
    street: str
    postal_code: str
    # SCB's code of the municipality the person is registered in ("0180" is Stockholm).
    municipality: str
    situation: dict[str, str]
    died_on: str | None = None
    # The day of the latest change of address the register recorded (ISO; None: none).
    moved_on: str | None = None


@dataclass(frozen=True)
class Relation:
    """`person` stands in `kind` to `other`: a guardian of a child, a member of an estate."""

    person: str
    kind: RelationKind
    other: str

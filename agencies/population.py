"""The simulated population register's look-ups: the test population, and what the register
recorded since (a birth, a death, a move), read together."""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from agencies.population_data import REGISTER_ONLY, RELATIONS, TEST_POPULATION
from agencies.residents import (
    RELATION_KINDS,
    RELATION_NAMES,
    Relation,
    RelationKind,
    Resident,
)

__all__ = [
    "REGISTER_ONLY",
    "RELATIONS",
    "RELATION_KINDS",
    "RELATION_NAMES",
    "TEST_POPULATION",
    "Recorded",
    "Relation",
    "RelationKind",
    "Resident",
    "is_related",
    "related_to",
    "relations_of",
    "resident",
    "residents",
    "use_records",
]


class Recorded(Protocol):
    """The register's records of people and relations added after the test population (a
    birth registered later): `agencies.registers.recorded.PopulationRegister`."""

    def resident(self, number: str) -> Resident | None: ...

    def residents(self, numbers: list[str]) -> dict[str, Resident]: ...

    def is_related(self, person: str, kind: str, other: str) -> bool: ...

    def related_to(self, kind: str, other: str) -> list[str]: ...

    def relations_of(self, person: str, kind: str) -> list[str]: ...


_recorded: list[Recorded] = []


def use_records(recorded: Recorded | None) -> None:
    """Look up, beside the test population, what the register recorded later (None: not)."""
    _recorded.clear()
    if recorded is not None:
        _recorded.append(recorded)


def resident(personal_number: str) -> Resident | None:
    """The person with this personal identity number in the register, living or dead, at the
    address the register holds now (a move recorded since is theirs)."""
    return residents([personal_number]).get(personal_number)


def residents(numbers: list[str]) -> dict[str, Resident]:
    """The people with these numbers the register knows, each at the address it holds now:
    the records of moves and births since are read once for all of them."""
    wanted = set(numbers)
    everyone = TEST_POPULATION + REGISTER_ONLY
    found = {r.personal_number: r for r in everyone if r.personal_number in wanted}
    held = _recorded[0].residents(sorted(wanted)) if _recorded and wanted else {}
    for number, now in held.items():
        known = found.get(number)
        found[number] = (
            now
            if known is None
            else replace(
                known,
                street=now.street,
                postal_code=now.postal_code,
                municipality=now.municipality,
                moved_on=now.moved_on,
            )
        )
    return found


def is_related(person: str, kind: str, other: str) -> bool:
    """Whether the register records that `person` stands in `kind` to `other`."""
    if any(
        (relation.person, relation.kind, relation.other) == (person, kind, other)
        for relation in RELATIONS
    ):
        return True
    return bool(_recorded) and _recorded[0].is_related(person, kind, other)


def related_to(kind: str, other: str) -> list[str]:
    """Everyone the register records as standing in `kind` to `other` (a child's guardians)."""
    found = [r.person for r in RELATIONS if (r.kind, r.other) == (kind, other)]
    if not found and _recorded:  # a child born since, say
        return _recorded[0].related_to(kind, other)
    return found


def relations_of(person: str, kind: str) -> list[str]:
    """Everyone `person` stands in `kind` to (the children of a guardian), a birth recorded
    since the test population included."""
    found = [r.other for r in RELATIONS if (r.person, r.kind) == (person, kind)]
    later = _recorded[0].relations_of(person, kind) if _recorded else []
    return found + [other for other in later if other not in found]

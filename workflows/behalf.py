"""Acting on behalf of someone: the population register's relations decide who may."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from agencies.population import RELATION_NAMES, is_related, resident


@dataclass(frozen=True)
class Representation:
    """The citizen acts for the person named by a personal-number answer, in a relation."""

    question: str
    relation: str
    refused: Mapping[str, str]

    def as_dict(self) -> dict[str, Any]:
        """As written in the definition (for the open API)."""
        return {"question": self.question, "relation": self.relation}


def represented(representation: Representation | None, answers: Mapping[str, Any]) -> str | None:
    """The personal identity number of the person the case is for, if someone else."""
    if representation is None:
        return None
    value = answers.get(representation.question)
    return str(value) if value else None


def may_act(
    representation: Representation | None, answers: Mapping[str, Any], citizen: str
) -> bool:
    """Whether the register lets the citizen act for the person the answers name."""
    other = represented(representation, answers)
    if representation is None or other is None:
        return True
    return is_related(citizen, representation.relation, other)


def represented_name(personal_number: str | None) -> str | None:
    """The register's name for the person acted for."""
    found = resident(personal_number) if personal_number else None
    return found.name if found else None


def acting_as(representation: Representation | None) -> dict[str, str] | None:
    """In plain words, in what role the citizen acts for someone else."""
    return RELATION_NAMES.get(representation.relation) if representation else None

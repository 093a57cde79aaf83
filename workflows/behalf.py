"""Acting on behalf of someone: the population register's relations decide who may act for a
person; for a company (`representative`), its signatories and their powers of attorney do."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from agencies.clock import today
from agencies.population import RELATION_NAMES, is_related, resident

from .representation import PowerOfAttorney, Standing, company_name, standing_for

REPRESENTATIVE = "representative"


@dataclass(frozen=True)
class Representation:
    """The citizen acts for the person named by a personal-number answer, in a relation."""

    question: str
    relation: str
    refused: Mapping[str, str]

    @property
    def for_company(self) -> bool:
        """The case is a company's, named by its organisation number."""
        return self.relation == REPRESENTATIVE

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
    representation: Representation | None,
    answers: Mapping[str, Any],
    citizen: str,
    powers: Iterable[PowerOfAttorney] = (),
) -> bool:
    """Whether the register lets the citizen act for the person the answers name (for a
    company: whether they are its signatory or hold its power of attorney for this)."""
    other = represented(representation, answers)
    if representation is None or other is None:
        return True
    if representation.for_company:
        return company_standing(representation, answers, citizen, "", powers) is not None
    return is_related(citizen, representation.relation, other)


def company_standing(
    representation: Representation | None,
    answers: Mapping[str, Any],
    citizen: str,
    life_event: str,
    powers: Iterable[PowerOfAttorney],
    on: dt.date | None = None,
) -> Standing | None:
    """The citizen's standing for the company the answers name, for the life event (any with
    an empty one), today; None if they may not act for it."""
    number = represented(representation, answers)
    if representation is None or not representation.for_company or number is None:
        return None
    return standing_for(citizen, number, life_event or None, powers, on or today())


def register_key(
    representation: Representation | None, answers: Mapping[str, Any], personal_number: str
) -> str | None:
    """Whose facts the registers are asked for: in a company's life event the company's, once
    it is named (None before), else the citizen's own."""
    if representation is None or not representation.for_company:
        return personal_number
    return represented(representation, answers)


def represented_name(number: str | None) -> str | None:
    """The register's name for the person (or the company) acted for. A company is looked up
    in the company register alone: asking the population register first would cost My pages
    a query for each of a person's company cases."""
    if not number:
        return None
    named = company_name(number)
    if named is not None:
        return named
    found = resident(number)
    return found.name if found else None


def acting_as(representation: Representation | None) -> dict[str, str] | None:
    """In plain words, in what role the citizen acts for someone else."""
    return RELATION_NAMES.get(representation.relation) if representation else None

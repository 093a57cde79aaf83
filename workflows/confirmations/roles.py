"""Who must confirm: each role a life event may name in `confirmed_by`, with how the registers
say which person holds it for one case.

A role's `resolve` gets the case's facts (who acts, for whom, the answers) and returns the
personal identity number of the person who must confirm, or None where nobody has to (a child
with one guardian): then the steps go without waiting. Add a role here, with its texts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from agencies.population import related_to, resident
from agencies.registers.data import spouse_of

from ..representation import co_signatory_for


@dataclass(frozen=True)
class CaseFacts:
    """What a role reads to find its person: the citizen who acts, the person or
    organisation acted for (if any), and the answers."""

    actor: str
    subject: str | None
    answers: Mapping[str, Any]


@dataclass(frozen=True)
class Role:
    """A person other than the citizen who must confirm, named as both of them read it."""

    name: str
    # The role as the citizen who acts reads it inside a sentence ("the other guardian").
    text: Mapping[str, str]
    resolve: Callable[[CaseFacts], str | None]


def other_guardian(facts: CaseFacts) -> str | None:
    """The child's other guardian in the population register, if the child has one alive."""
    if not facts.subject:
        return None
    others = [
        number
        for number in related_to("guardian", facts.subject)
        if number != facts.actor and (found := resident(number)) and not found.died_on
    ]
    return others[0] if others else None


def spouse(facts: CaseFacts) -> str | None:
    """The spouse or registered partner of the citizen who acts, in the population register:
    an adult who moves along confirms their own move."""
    return spouse_of(facts.actor)


def co_signatory(facts: CaseFacts) -> str | None:
    """Where two sign for the company jointly, the signatory who did not send the case; nobody
    for a company signed alone, or for one who acts by a power of attorney."""
    return co_signatory_for(facts.actor, facts.subject)


ROLES: dict[str, Role] = {
    "spouse": Role(
        "spouse",
        {"sv": "din make, maka eller partner", "en": "your spouse or partner"},
        spouse,
    ),
    "other_guardian": Role(
        "other_guardian",
        {"sv": "den andra vårdnadshavaren", "en": "the other guardian"},
        other_guardian,
    ),
    "co_signatory": Role(
        "co_signatory",
        {"sv": "den andra firmatecknaren", "en": "the other signatory"},
        co_signatory,
    ),
}

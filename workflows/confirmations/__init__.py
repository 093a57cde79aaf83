"""Steps that wait for another person's yes: the other guardian where a child's guardians
decide together, a second signatory where two sign for a company jointly.

A life event names a role (`confirmed_by`) on a step, or on the whole life event; when the case
is sent, the role's person (`roles.ROLES`) is found in the registers. The steps it holds back
are stored waiting with the ball on that person (`Ball.PERSON`), nothing of them leaves, and
that person gets a message with the action to confirm. Their yes makes the steps pending, and
the engine sends them as any other; their no ends them (`StepReason.DECLINED`) and the citizen
who sent the case is told. Where the register names nobody (one guardian), nothing waits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..declarations import LifeEvent
from ..message_types import MessageAction, MessageKind, NewMessage
from ..rules import StepPlan
from ..statuses import StepStatus
from .roles import ROLES, CaseFacts, Role

__all__ = [
    "ROLES",
    "CaseFacts",
    "Needed",
    "Role",
    "confirmation_message",
    "confirmations_needed",
]


@dataclass(frozen=True)
class Needed:
    """One person's confirmation that holds back some steps of a case (their declared ids)."""

    role: str
    personal_number: str
    steps: tuple[str, ...]


def confirmations_needed(event: LifeEvent, plans: list[StepPlan], facts: CaseFacts) -> list[Needed]:
    """Who must confirm which of the steps a case sends: one confirmation per role, for every
    step that names it (or for every step, where the life event names it)."""
    held: dict[str, list[str]] = {}
    for plan in plans:
        role = plan.step.confirmed_by or event.confirmed_by
        if role and plan.status != StepStatus.NOT_NEEDED:
            held.setdefault(role, []).append(plan.id)
    needed = []
    for role, steps in held.items():
        person = ROLES[role].resolve(facts)
        if person and person != facts.actor:
            needed.append(Needed(role, person, tuple(steps)))
    return needed


# The two messages of a confirmation: the person is asked to confirm, and the citizen who sent
# the case is told when that person said no. Each: its key's ending and its one action.
ConfirmationKind = Literal[MessageKind.CONFIRMATION, MessageKind.DECLINED]
_MESSAGES: dict[ConfirmationKind, tuple[str, MessageAction]] = {
    MessageKind.CONFIRMATION: ("", MessageAction.CONFIRM),
    MessageKind.DECLINED: (":declined", MessageAction.OPEN_CASE),
}


def confirmation_message(
    kind: ConfirmationKind,
    confirmation_id: str,
    person_id: str,
    case_id: str,
    life_event: str,
    role: str,
) -> NewMessage:
    """The message of one confirmation to `person_id`: `MessageKind.CONFIRMATION` asks them to
    confirm (the action leads to what they confirm), `MessageKind.DECLINED` tells the citizen
    who sent the case that the other person said no."""
    ending, action = _MESSAGES[kind]
    params = {"confirmation": confirmation_id, "life_event": life_event, "role": role}
    return NewMessage(
        f"confirmation:{confirmation_id}{ending}", kind, params, person_id, case_id, action=action
    )

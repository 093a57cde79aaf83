"""Which changes of a case become a message to the person, and what each message records.

A message stores its kind and the facts it is about (`params`), never finished sentences: the
reader's pages put it in words, in the language they read, at the time they read it. Each has
a `key` that names the change it is about, so that the same change never makes two.

- an agency asks the citizen for more (a complement request): `complement`, to be answered;
- an agency decides a step (approves it, with its reference, or rejects it, with its
  reason): `decision`;
- a step of a submitted case has a deadline declared in its life event: `reminder`;
- `suggestion` (an offer to start a life event, its `action_life_event`) and `notice` (a
  message of its own words) are for proactive service; nothing here makes them yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from .deadlines import deadline_date
from .declarations import LifeEvent
from .message_types import MessageAction, MessageKind, NewMessage
from .store import Decision

__all__ = ["MessageAction", "MessageKind", "NewMessage", "decision_message", "deadline_reminders"]


def decision_message(step_id: str, decision: Decision) -> NewMessage:
    """The message an agency's decision on a step makes: a question to answer, an approval
    (with the agency's reference) or a rejection (with its reason)."""
    if decision.kind == "complement":
        return NewMessage(
            key=f"step:{step_id}:complement",
            kind=MessageKind.COMPLEMENT,
            params={"question": decision.question},
            step_id=step_id,
            action=MessageAction.ANSWER,
            per_step_change=True,
        )
    params: dict[str, Any] = {"outcome": "approved" if decision.kind == "approve" else "rejected"}
    if decision.kind == "approve" and decision.reference:
        params["reference"] = decision.reference
    if decision.kind == "reject":
        params["reason"] = decision.reason
    return NewMessage(
        key=f"step:{step_id}:{params['outcome']}",
        kind=MessageKind.DECISION,
        params=params,
        step_id=step_id,
        action=MessageAction.OPEN_CASE,
        per_step_change=True,
    )


def deadline_reminders(
    event: LifeEvent,
    answers: Mapping[str, Any],
    steps: Iterable[tuple[str, str]],
    person_id: str,
    case_id: str,
) -> list[NewMessage]:
    """A reminder for each step of a case just sent whose life event declares a deadline,
    dated from the answers (`steps`: the case's (step id, declared step id) pairs)."""
    declared = {step.id: step for step in event.steps}
    reminders = []
    for step_id, key in steps:
        step = declared.get(key)
        when: dt.date | None = deadline_date(step.deadline, answers) if step else None
        if when is None:
            continue
        reminders.append(
            NewMessage(
                key=f"step:{step_id}:deadline",
                kind=MessageKind.REMINDER,
                params={"deadline": when.isoformat(), "life_event": event.id, "step": key},
                person_id=person_id,
                case_id=case_id,
                step_id=step_id,
                action=MessageAction.OPEN_CASE,
            )
        )
    return reminders

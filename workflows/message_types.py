"""What a message to a person is: its kind, its one action, and what the store writes (the
store's side of `messages`, which says which changes make one)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class MessageKind(StrEnum):
    """What a message is about."""

    COMPLEMENT = "complement"
    DECISION = "decision"
    REMINDER = "reminder"
    SUGGESTION = "suggestion"
    NOTICE = "notice"
    CONFIRMATION = "confirmation"  # another person's case waits for this person's yes
    DECLINED = "declined"  # the person who had to confirm said no


class MessageAction(StrEnum):
    """The one thing the person can do about a message."""

    ANSWER = "answer"  # answer the agency's question, on the case's page
    OPEN_CASE = "open_case"
    START = "start"  # start a life event (`action_life_event`)
    DISMISS = "dismiss"
    CONFIRM = "confirm"  # confirm (or decline) steps of another person's case


@dataclass(frozen=True)
class NewMessage:
    """A message to write. `person_id` and `case_id` may be left to the store when `step_id`
    names the step it concerns; with `per_step_change` the store makes the key unique per
    change of that step (its version), so that a second complement request on the same step
    is a message of its own while a replayed one is not."""

    key: str
    kind: MessageKind
    params: Mapping[str, Any] = field(default_factory=dict)
    person_id: str | None = None
    case_id: str | None = None
    step_id: str | None = None
    action: MessageAction | None = None
    action_life_event: str | None = None
    per_step_change: bool = False

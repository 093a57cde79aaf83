"""What a correction means: which agencies hear of which changed facts, which steps now
apply, which no longer do. Worked out by the evaluator that planned the first submission."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..declarations import LifeEvent
from ..rules import StepPlan, check_answers, plan_steps
from ..statuses import Ball, StepStatus
from .keys import corrected_key, correction_key

# A step whose agency has what it was sent: a correction must reach it.
RECEIVED = frozenset({StepStatus.RUNNING, StepStatus.WAITING, StepStatus.DONE})
# An officer's decision: a correction to it is a request the agency decides on.
DECIDED = frozenset({"approved", "rejected"})
NOTHING_CHANGED = "Nothing changed: give at least one answer that differs from what was sent."
# The answer naming whom the case acts for (the child, the deceased, the company) was checked
# against the registers when the case was sent; a correction cannot point the case elsewhere.
ACTS_FOR_FIXED = (
    "This answer says whom the case is for, and it cannot be corrected. Withdraw the case"
    " and start a new one for the right person or company."
)


@dataclass(frozen=True)
class SentStep:
    """A step of a sent case, as a correction needs to know it."""

    id: str
    key: str
    agency: str
    status: str
    fields: tuple[str, ...]
    outcome: str | None = None
    withdrawal: str | None = None
    ball: str | None = None

    @property
    def received(self) -> bool:
        """Its agency has received it (an officer's rejection included); a step held back
        for another person's yes has not gone yet."""
        rejected = self.status == StepStatus.FAILED and self.outcome in DECIDED
        held = self.status == StepStatus.WAITING and self.ball == Ball.PERSON
        return self.withdrawal is None and not held and (self.status in RECEIVED or rejected)


@dataclass(frozen=True)
class StepCorrection:
    """The changed facts one agency receives about one step it had; a `request` when an
    officer had already decided that step, so the agency decides on the correction too."""

    step_id: str
    key: str  # the correction's own step key
    corrects: str  # the key of the step it corrects
    agency: str
    fields: tuple[str, ...]
    request: bool


@dataclass(frozen=True)
class CorrectionPlan:
    """A correction worked out: the answers after it, what changed, and what each step gets."""

    answers: dict[str, Any]
    changed: tuple[str, ...]
    corrections: tuple[StepCorrection, ...] = ()
    added: tuple[StepPlan, ...] = ()
    removed: tuple[SentStep, ...] = ()
    # Steps not sent yet whose fields change with the answers: they go with the new ones.
    refields: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    errors: Mapping[str, list[str]] = field(default_factory=dict)

    @property
    def consent(self) -> dict[str, dict[str, Any]]:
        """What the citizen consents to: per correction and new step, its agency and fields."""
        record = {
            item.key: {"agency": item.agency, "fields": sorted(item.fields)}
            for item in self.corrections
        }
        for plan in self.added:
            if plan.status != StepStatus.NOT_NEEDED:
                record[plan.id] = {"agency": plan.step.agency, "fields": sorted(plan.fields)}
        return record

    @property
    def digest(self) -> str:
        """A short fingerprint of what would happen, to tell whether a preview still holds."""
        shown = {
            "consent": self.consent,
            "removed": sorted(step.id for step in self.removed),
            "changed": list(self.changed),
        }
        canonical = json.dumps(shown, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def merged_answers(sent: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """The answers as sent with the changes over them; a change to None takes an answer away."""
    merged = {**sent, **changes}
    return {key: value for key, value in merged.items() if value is not None}


def plan_correction(
    event: LifeEvent,
    sent: Mapping[str, Any],
    changes: Mapping[str, Any],
    steps: Sequence[SentStep],
) -> CorrectionPlan:
    """What changing `changes` in a case sent with `sent` answers means for its `steps`.

    The changed answers are checked by the rules that checked the first submission; only
    the questions that apply after the change are kept.
    """
    unknown = {key: ["Unknown question."] for key in changes if key not in _question_ids(event)}
    check = check_answers(event, merged_answers(sent, changes))
    errors = {**unknown, **check.errors}
    clean = check.clean
    changed = tuple(sorted(key for key in {*sent, *clean} if sent.get(key) != clean.get(key)))
    acting = event.on_behalf_of
    if acting is not None and acting.question in changed:
        errors[acting.question] = [ACTS_FOR_FIXED]
    if errors:
        return CorrectionPlan(clean, changed, errors=errors)
    if not changed:
        return CorrectionPlan(clean, changed, errors={"answers": [NOTHING_CHANGED]})
    applying = {plan.id: plan for plan in plan_steps(event, clean)}
    declared = {step.id for step in event.steps}
    own = [step for step in steps if corrected_key(step.key) is None]
    numbers: dict[str, int] = {}
    for step in steps:
        base = corrected_key(step.key)
        if base is not None:
            numbers[base] = numbers.get(base, 0) + 1
    corrections, removed, refields = [], [], {}
    for step in own:
        if step.key in declared and step.key not in applying:
            if step.status not in (StepStatus.FAILED, StepStatus.CANCELLED, StepStatus.NOT_NEEDED):
                removed.append(step)
            continue
        if step.status == StepStatus.PENDING and step.key in applying:
            fields = applying[step.key].fields
            if tuple(fields) != tuple(step.fields):
                refields[step.id] = tuple(fields)
            continue
        touched = tuple(name for name in step.fields if name in changed)
        if touched and step.received:
            numbers[step.key] = numbers.get(step.key, 0) + 1
            corrections.append(
                StepCorrection(
                    step_id=step.id,
                    key=correction_key(step.key, numbers[step.key]),
                    corrects=step.key,
                    agency=step.agency,
                    fields=touched,
                    request=step.outcome in DECIDED,
                )
            )
    present = {step.key for step in own}
    added = tuple(plan for key, plan in applying.items() if key not in present)
    return CorrectionPlan(clean, changed, tuple(corrections), added, tuple(removed), refields)


def _question_ids(event: LifeEvent) -> set[str]:
    return {question.id for question in event.questions}

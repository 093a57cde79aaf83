"""A case's timeline read again from its first line: where the case and each step stood after
every line.

The lines are written, never changed (`case_events`), and each kind says what became of its
step or its case, as the store's changes write them. A reader that reports each change, not
only the latest state (the customer events of Mina ärenden), reads them here in order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .statuses import (
    CLOSED_CASE_STATUSES,
    DEPENDENCY_FAILED,
    UNDER_WAY_STEP_STATUSES,
    Ball,
    CaseStatus,
    StepStatus,
)

# What a line of each kind leaves its step as (`workflows.store.Store`'s changes).
STEP_AFTER: dict[str, tuple[StepStatus, Ball]] = {
    "step_started": (StepStatus.RUNNING, Ball.AGENCY),
    "step_waiting": (StepStatus.WAITING, Ball.AGENCY),
    "step_done": (StepStatus.DONE, Ball.NONE),
    "step_approved": (StepStatus.DONE, Ball.NONE),
    "step_rejected": (StepStatus.FAILED, Ball.NONE),
    "step_failed": (StepStatus.FAILED, Ball.AGENCY),
    "step_cancelled": (StepStatus.CANCELLED, Ball.NONE),
    "complement_requested": (StepStatus.WAITING, Ball.CITIZEN),
    "complement_answered": (StepStatus.WAITING, Ball.AGENCY),
    "step_retried": (StepStatus.PENDING, Ball.AGENCY),
    # Held back for another person's yes (`workflows.confirmations`), then given or refused.
    "confirmation_asked": (StepStatus.WAITING, Ball.PERSON),
    "step_confirmed": (StepStatus.PENDING, Ball.AGENCY),
    "step_declined": (StepStatus.CANCELLED, Ball.NONE),
    "step_no_longer_applies": (StepStatus.NOT_NEEDED, Ball.NONE),
}
# A correction adds steps to a sent case: a correction of its own, or a step that now applies.
STEP_ADDED = ("correction_planned", "step_added")

# The agency of a step of a withdrawn case was told, or could not be (`withdrawal_finished`).
WITHDRAWAL_TOLD = ("withdrawal_sent", "withdrawal_failed")


@dataclass(frozen=True)
class StepStanding:
    """Where one step stood: its status and who had the ball."""

    status: str
    ball: str


@dataclass(frozen=True)
class Moment:
    """A line of the timeline with the state of its case right after it."""

    line: Any  # with `kind`, `step_id`, `detail` (and whatever else the reader gave)
    case_status: str
    steps: Mapping[str, StepStanding]  # by step id

    @property
    def citizen_must_act(self) -> bool:
        """A step waits for the citizen's answer, in a case not withdrawn."""
        if self.case_status == CaseStatus.WITHDRAWN:
            return False
        return any(
            step.status == StepStatus.WAITING and step.ball == Ball.CITIZEN
            for step in self.steps.values()
        )

    @property
    def closed(self) -> bool:
        """The case had ended: nothing more was to happen in it."""
        return self.case_status in CLOSED_CASE_STATUSES

    @property
    def step(self) -> StepStanding | None:
        """Where the line's own step stood, if the line is of a step."""
        return self.steps.get(self.line.step_id) if self.line.step_id else None


def replay(first: Mapping[str, str], lines: Iterable[Any]) -> Iterator[Moment]:
    """The case after each of its lines, in order. `first`: each step's status as the case
    was stored (`pending`, or `not_needed` for a step that never sends anything)."""
    steps = {
        step_id: StepStanding(status, _first_ball(status)) for step_id, status in first.items()
    }
    blocked: set[str] = set()  # cancelled because a step they need failed
    case_status: str = CaseStatus.RECEIVED
    for line in lines:
        kind, detail = line.kind, line.detail or {}
        if kind in STEP_ADDED and line.step_id:
            steps[line.step_id] = StepStanding(StepStatus.PENDING, Ball.AGENCY)
        after = STEP_AFTER.get(kind)
        if after is not None and line.step_id in steps:
            steps[line.step_id] = StepStanding(*after)
            if kind == "step_cancelled" and detail.get("code") == DEPENDENCY_FAILED:
                blocked.add(line.step_id)
        if kind == "step_retried":  # the steps cancelled because of it are pending again
            for step_id in blocked:
                steps[step_id] = StepStanding(StepStatus.PENDING, Ball.AGENCY)
            blocked.clear()
        if kind == "case_withdrawn":  # nobody acts on it any more
            steps = {key: _withdrawn(step, ended=False) for key, step in steps.items()}
        if kind in WITHDRAWAL_TOLD and line.step_id in steps:  # an unfinished step ends
            steps[line.step_id] = _withdrawn(steps[line.step_id], ended=True)
        case_status = _case_after(kind, detail, case_status, steps)
        yield Moment(line, case_status, dict(steps))


def _withdrawn(step: StepStanding, ended: bool) -> StepStanding:
    """A step of a withdrawn case: the ball with nobody; cancelled once its agency was told,
    unless it was done."""
    if step.status not in UNDER_WAY_STEP_STATUSES:
        return step
    return StepStanding(StepStatus.CANCELLED if ended else step.status, Ball.NONE)


def _first_ball(status: str) -> str:
    return Ball.NONE if status == StepStatus.NOT_NEEDED else Ball.AGENCY


def _case_after(
    kind: str, detail: Mapping[str, Any], status: str, steps: Mapping[str, StepStanding]
) -> str:
    """The case's status after a line of this kind."""
    if kind == "case_submitted":  # in progress at once when a step is sent (`engine.opening`)
        under_way = any(step.status in UNDER_WAY_STEP_STATUSES for step in steps.values())
        return CaseStatus.IN_PROGRESS if under_way else CaseStatus.RECEIVED
    if kind == "step_started" and status == CaseStatus.RECEIVED:
        return CaseStatus.IN_PROGRESS
    if kind == "case_withdrawn":
        return CaseStatus.WITHDRAWN
    if kind == "case_corrected" and status != CaseStatus.RECEIVED:
        return CaseStatus.IN_PROGRESS
    if kind == "case_closed":
        return str(detail.get("status") or CaseStatus.DONE)
    if kind == "step_retried" and status == CaseStatus.DONE_WITH_PROBLEMS:
        return CaseStatus.IN_PROGRESS
    return status

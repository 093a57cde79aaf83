"""The words for where a case and its steps stand, and for who must act: one typed home.

They are `StrEnum`s: a member equals its string and is stored and serialised as it, so the
database, the API and the templates see the same words as before.
"""

from __future__ import annotations

from enum import StrEnum


class StepStatus(StrEnum):
    """Where a step stands."""

    PENDING = "pending"  # planned; not sent yet (or sent again)
    RUNNING = "running"  # with its agency's adapter, or a retry is due
    WAITING = "waiting"  # sent; a person must act (the ball says who)
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"
    NOT_NEEDED = "not_needed"  # nothing to send: an `inform` step


class CaseStatus(StrEnum):
    """Where a case stands."""

    RECEIVED = "received"  # stored; no step sent yet
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DONE_WITH_PROBLEMS = "done_with_problems"  # every step ended, one or more failed
    WITHDRAWN = "withdrawn"


class Ball(StrEnum):
    """Who must act on a step next."""

    CITIZEN = "citizen"
    AGENCY = "agency"
    # Another named person must confirm before the step is sent (`workflows.confirmations`):
    # the other guardian, a joint signatory; neither the citizen nor the agency.
    PERSON = "person"
    NONE = "none"


class StepReason(StrEnum):
    """The code of the reason a step ended without its agency deciding it; readers put it
    in words."""

    DEPENDENCY_FAILED = "dependency_failed"  # a step it needs failed (`Store.cancel_steps`)
    WITHDRAWN = "withdrawn"  # its case was withdrawn before it finished
    DECLINED = "declined"  # the person who had to confirm it said no
    NO_LONGER_APPLIES = "no_longer_applies"  # a correction of the answers took it away


# A step not yet ended.
UNDER_WAY_STEP_STATUSES = frozenset({StepStatus.PENDING, StepStatus.RUNNING, StepStatus.WAITING})
# A step that has ended, one way or another.
TERMINAL_STEP_STATUSES = frozenset(
    {StepStatus.DONE, StepStatus.FAILED, StepStatus.CANCELLED, StepStatus.NOT_NEEDED}
)
# A step whose dependants may go.
FINISHED_STATUSES = frozenset({StepStatus.DONE, StepStatus.NOT_NEEDED})
# A step whose dependants never can.
BLOCKING_STATUSES = frozenset({StepStatus.FAILED, StepStatus.CANCELLED})

# A case whose steps may still change.
OPEN_CASE_STATUSES = frozenset({CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS})
# A case that has ended: nothing more is dispatched for it.
CLOSED_CASE_STATUSES = frozenset(
    {CaseStatus.DONE, CaseStatus.DONE_WITH_PROBLEMS, CaseStatus.WITHDRAWN}
)

DEPENDENCY_FAILED = StepReason.DEPENDENCY_FAILED
WITHDRAWN = StepReason.WITHDRAWN
NO_LONGER_APPLIES = StepReason.NO_LONGER_APPLIES


def waits_for_retry(status: str, next_attempt_at: object) -> bool:
    """A step with a `next_attempt_at` is running but no attempt is under way: its agency did
    not answer, and it waits for its next attempt (held by the broker or the database)."""
    return status == StepStatus.RUNNING and next_attempt_at is not None

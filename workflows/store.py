"""The workflows' view of state: what they read and the state changes they make.

`contactpoint` implements `Store` over its database; unit tests use an in-memory fake.
Every method is its own short transaction and is safe to call twice; inside `atomic()` the
calls are one transaction instead, so a step's outcome and what it makes ready commit together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from .retention import RetentionStore
from .statuses import TERMINAL_STEP_STATUSES as TERMINAL_STEP_STATUSES  # its old home
from .statuses import Ball, CaseStatus, StepReason

if TYPE_CHECKING:
    from .corrections.plan import CorrectionPlan, SentStep
    from .message_types import NewMessage


@dataclass(frozen=True)
class StepState:
    """What the engine needs to know of a step to decide whether it is ready."""

    id: str
    key: str
    agency: str
    status: str  # a `StepStatus`, as read
    depends_on: tuple[str, ...]
    dispatched: bool


@dataclass(frozen=True)
class CaseState:
    """A case and the state of its steps."""

    id: str
    life_event: str
    status: str  # a `CaseStatus`, as read
    steps: tuple[StepState, ...]


@dataclass(frozen=True)
class StepWork:
    """Everything a step task needs to make its submission, read in one go."""

    step_id: str
    case_id: str
    key: str
    agency: str
    life_event: str
    idempotency_key: str
    attempt: int
    fields: tuple[str, ...]
    manual: bool
    answers: Mapping[str, Any]
    person: Mapping[str, Any]
    produced: Mapping[str, Any] = field(default_factory=dict)
    on_behalf_of: str | None = None
    # For a company's case: what its maker acted on (`signatory`, `power_of_attorney`, ...).
    acting_basis: str | None = None
    complement: str | None = None
    person_id: str | None = None
    began_at: dt.datetime | None = None
    sent_at: dt.datetime | None = None  # when it was claimed for its agency's queue


@dataclass(frozen=True)
class Decision:
    """A person's (or an agency system's) decision on a step that waits for the agency.

    `approve` may carry the agency's reference; `reject` needs a reason the citizen can read;
    `complement` needs the question the citizen must answer.
    """

    kind: Literal["approve", "reject", "complement"]
    actor: str
    reference: str | None = None
    reason: str | None = None
    question: str | None = None


@dataclass(frozen=True)
class WithdrawalWork:
    """What telling an agency of a withdrawal needs; `busy` while an attempt still runs;
    `scheduled` when the quick attempts to tell it are spent (the agency was down), and
    `since` when the case was withdrawn."""

    step_id: str
    case_id: str
    key: str
    agency: str
    life_event: str
    reference: str | None
    busy: bool = False
    scheduled: bool = False
    since: dt.datetime | None = None


@dataclass(frozen=True)
class SentCase:
    """What correcting a case starts from: its life event, status, answers and steps."""

    life_event: str
    status: str
    answers: Mapping[str, Any]
    steps: tuple[SentStep, ...]


class Store(RetentionStore, Protocol):
    """State changes the workflows make; each is atomic and idempotent (and, from
    `RetentionStore`, removing what has expired)."""

    def atomic(self) -> AbstractContextManager[None]:
        """Make the calls inside the block one transaction: all of them happen, or none."""

    def case_state(self, case_id: str) -> CaseState | None:
        """The case and its steps, or None if there is no such case.

        Inside `atomic()` the case stays locked until the block ends: changes to one case
        settle one after another, each seeing what the one before it committed.
        """

    def claim_for_dispatch(self, step_ids: list[str], start_case: bool = True) -> list[str]:
        """Mark pending steps as sent to the broker; return those this call claimed.

        With `start_case` (the case is still `received`), a claim puts their case in progress.
        """

    def release_dispatch(self, step_ids: list[str]) -> None:
        """Undo a claim whose message never reached the broker."""

    def begin_step(self, step_id: str) -> StepWork | None:
        """Mark the step running and return its work; None if it needs no (more) work."""

    def step_started(self, work: StepWork) -> None:
        """Write the timeline's line for the step's start (with the answer it got)."""

    def record_share(self, work: StepWork, fields: list[str], reference: str) -> None:
        """Log that these fields went to the step's agency (once per step)."""

    def step_done(
        self, step_id: str, reference: str, outputs: Mapping[str, Any], message: str
    ) -> None:
        """The agency registered the step."""

    def step_waiting(self, step_id: str, ball: Ball, reference: str, message: str) -> None:
        """The step waits for a person or a later answer; `ball` says who must act."""

    def step_retrying(
        self,
        step_id: str,
        reason: str,
        delay_s: float,
        scheduled: bool = False,
        counted: bool = True,
    ) -> None:
        """A transient failure: the step will be tried again after `delay_s`; a `scheduled`
        retry is sent by recovery (`claim_due_retries`), the others by the broker. Not
        `counted`: the attempt was not made (an open breaker skipped it), and the step's
        attempts stay as they were before it began."""

    def step_failed(self, step_id: str, reason: str) -> None:
        """The step cannot be done; `reason` is shown to the citizen and the case officer."""

    def cancel_steps(self, step_ids: list[str], reason: StepReason) -> None:
        """Cancel pending steps that can no longer run; `reason` is a code (such as
        `StepReason.DEPENDENCY_FAILED`) that readers put in words."""

    def close_case(self, case_id: str, status: CaseStatus) -> None:
        """Every step has ended: give the case its final status."""

    def apply_decision(self, step_id: str, decision: Decision) -> str | None:
        """Record a decision on a step waiting for its agency; its case id, or None if not."""

    def apply_complement_answer(self, step_id: str, answer: str, actor: str) -> str | None:
        """Record the citizen's answer to a complement request; its case id, or None if not."""

    def post_messages(self, messages: list[NewMessage]) -> None:
        """Write these messages to the people they are for, each once: a message whose key
        was written before is left as it was."""

    def reopen_failed_step(self, step_id: str, actor: str) -> str | None:
        """Make a failed step (and the steps cancelled because of it) pending again."""

    def stalled_cases(self, limit: int) -> list[str]:
        """Open cases with a step never sent though nothing it needs is still under way, or with
        nothing left open (the outbox)."""

    def stuck_steps(self, limit: int) -> list[str]:
        """Steps whose attempt outlived its lease, or whose message never reached a worker."""

    def requeue_step(self, step_id: str) -> tuple[str, str] | None:
        """Take a stuck step back for dispatch: its (case id, agency), or None if it moved on."""

    def claim_due_retries(self, limit: int) -> list[tuple[str, str]]:
        """Take back for dispatch up to `limit` steps whose scheduled retry is due: their
        (step id, agency) pairs."""

    def withdraw_case(self, case_id: str, actor: str) -> list[tuple[str, str]] | None:
        """Withdraw an open case, cancel what has not started; None if it cannot be withdrawn.

        Returns the (step id, agency) pairs whose agency must be told.
        """

    def begin_withdrawal(self, step_id: str) -> WithdrawalWork | None:
        """The withdrawal due on this step, or None if none is due (any more)."""

    def withdrawal_finished(self, step_id: str, reason: str | None = None) -> None:
        """The agency was told (reason None) or could not be told (reason says why)."""

    def withdrawal_retry_scheduled(self, step_id: str, delay_s: float) -> None:
        """The agency could not be told yet: recovery sends the withdrawal in `delay_s`."""

    def withdrawals_due(self, limit: int) -> list[tuple[str, str]]:
        """(step id, agency) of withdrawals due for a while and not yet told, but those
        whose scheduled retry is still to come."""

    def correction_basis(self, case_id: str) -> SentCase | None:
        """The case as a correction starts from it; None if there is no such case."""

    def apply_correction(
        self, case_id: str, plan: CorrectionPlan, actor: str
    ) -> list[tuple[str, str]] | None:
        """Store a correction: the new answers, a step per correction, the steps that now
        apply, those that no longer do ended; None if the case was withdrawn meanwhile.

        Returns the (step id, agency) pairs whose agency must be told of a withdrawal.
        """


class Dispatcher(Protocol):
    """Sends ready steps to their agencies' queues."""

    def dispatch(self, steps: list[tuple[str, str]]) -> None:
        """Send (step id, agency) pairs as one group."""

    def dispatch_withdrawals(self, steps: list[tuple[str, str]]) -> None:
        """Send a withdrawal for each (step id, agency) pair to the agency's queue."""

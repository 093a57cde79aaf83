"""Hand-written fakes of the workflow store, dispatcher and adapters, for unit tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from typing import Any

from agencies.base import AgencyAdapter, Receipt, SubmissionRequest, WithdrawalRequest
from workflows.engine import DEPENDENCY_FAILED
from workflows.messages import NewMessage
from workflows.store import (
    TERMINAL_STEP_STATUSES,
    CaseState,
    Decision,
    StepState,
    StepWork,
    WithdrawalWork,
)
from workflows.withdrawal import WITHDRAWN

SUBMISSION = SubmissionRequest(  # one step's request, for tests of what wraps the adapters
    agency="skatteverket",
    idempotency_key="s1",
    case_id="case-1",
    step_id="s1",
    step="change-of-address",
    life_event="moving",
    fields={},
)


@dataclass
class FakeStep:
    id: str
    key: str
    agency: str
    depends_on: tuple[str, ...] = ()
    status: str = "pending"
    dispatched: bool = False
    attempts: int = 0
    fields: tuple[str, ...] = ("personal_number",)
    reference: str | None = None
    outputs: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None
    ball: str = "agency"
    manual: bool = False
    question: str | None = None
    answer: str | None = None


class FakeStore:
    """An in-memory store with the same conditional transitions as the real one."""

    def __init__(self, steps: list[FakeStep], case_id: str = "case-1") -> None:
        self.case_id = case_id
        self.status = "received"
        self.steps = {step.id: step for step in steps}
        self.shares: list[tuple[str, list[str]]] = []
        self.events: list[tuple[str, str]] = []
        self.scheduled: set[str] = set()  # a retry waits for recovery; every one counts as due
        self.retries: list[tuple[str, str, float]] = []  # (step id, reason, delay) each
        self.messages: list[NewMessage] = []  # those posted, once per key

    def atomic(self) -> AbstractContextManager[None]:
        return nullcontext()

    def case_state(self, case_id: str) -> CaseState | None:
        if case_id != self.case_id:
            return None
        return CaseState(
            id=case_id,
            life_event="moving",
            status=self.status,
            steps=tuple(
                StepState(s.id, s.key, s.agency, s.status, s.depends_on, s.dispatched)
                for s in self.steps.values()
            ),
        )

    def claim_for_dispatch(self, step_ids: list[str], start_case: bool = True) -> list[str]:
        claimed = []
        for step_id in step_ids:
            step = self.steps[step_id]
            if step.status == "pending" and not step.dispatched:
                step.dispatched = True
                claimed.append(step_id)
        if claimed and start_case:
            self.status = "in_progress"
        return claimed

    def release_dispatch(self, step_ids: list[str]) -> None:
        for step_id in step_ids:
            self.steps[step_id].dispatched = False

    def begin_step(self, step_id: str) -> StepWork | None:
        step = self.steps[step_id]
        if step.status not in ("pending", "running"):
            return None
        step.status = "running"
        step.attempts += 1
        produced: dict[str, Any] = {}
        for other in self.steps.values():
            if other.key in step.depends_on:
                produced.update(other.outputs)
        return StepWork(
            step_id=step.id,
            case_id=self.case_id,
            key=step.key,
            agency=step.agency,
            life_event="moving",
            idempotency_key=step.id,
            attempt=step.attempts,
            fields=step.fields,
            manual=False,
            answers={"move_date": "2026-12-15"},
            person={"personal_number": "19850312-2387", "name": "Anna Lindqvist"},
            produced=produced,
            complement=step.answer,
        )

    def step_started(self, work: StepWork) -> None:
        self.events.append(("started", work.step_id))

    def record_share(self, work: StepWork, fields: list[str], reference: str) -> None:
        self.shares.append((work.step_id, fields))

    def _end(self, step_id: str, kind: str, **values: Any) -> None:
        step = self.steps[step_id]
        if step.status in ("pending", "running", "waiting"):
            for name, value in values.items():
                setattr(step, name, value)
            self.events.append((kind, step_id))

    def step_done(
        self, step_id: str, reference: str, outputs: Mapping[str, Any], message: str
    ) -> None:
        self._end(
            step_id, "done", status="done", reference=reference, outputs=dict(outputs), ball="none"
        )

    def step_waiting(self, step_id: str, ball: str, reference: str, message: str) -> None:
        self._end(step_id, "waiting", status="waiting", reference=reference, ball=ball)

    def step_retrying(
        self,
        step_id: str,
        reason: str,
        delay_s: float,
        scheduled: bool = False,
        counted: bool = True,
    ) -> None:
        self.events.append(("scheduled retry" if scheduled else "retry", step_id))
        self.retries.append((step_id, reason, delay_s))
        if scheduled:
            self.scheduled.add(step_id)
        if not counted:  # the attempt was not made
            self.steps[step_id].attempts -= 1

    def step_failed(self, step_id: str, reason: str) -> None:
        self._end(step_id, "failed", status="failed", reason=reason)

    def cancel_steps(self, step_ids: list[str], reason: str) -> None:
        for step_id in step_ids:
            if self.steps[step_id].status == "pending":
                self._end(step_id, "cancelled", status="cancelled", reason=reason)

    def close_case(self, case_id: str, status: str) -> None:
        if self.status in ("received", "in_progress"):
            self.status = status

    def apply_decision(self, step_id: str, decision: Decision) -> str | None:
        step = self.steps[step_id]
        if step.status != "waiting" or step.ball != "agency":
            return None
        if decision.kind == "approve":
            step.status, step.ball = "done", "none"
            step.reference = decision.reference or step.reference
        elif decision.kind == "reject":
            step.status, step.ball, step.reason = "failed", "none", decision.reason
        else:
            step.ball, step.question = "citizen", decision.question
        self.events.append((decision.kind, step_id))
        return self.case_id

    def apply_complement_answer(self, step_id: str, answer: str, actor: str) -> str | None:
        step = self.steps[step_id]
        if step.status != "waiting" or step.ball != "citizen":
            return None
        step.ball, step.answer = "agency", answer
        if not step.manual:
            step.status, step.dispatched = "pending", False
        return self.case_id

    def post_messages(self, messages: list[NewMessage]) -> None:
        keys = {message.key for message in self.messages}
        self.messages += [message for message in messages if message.key not in keys]

    def reopen_failed_step(self, step_id: str, actor: str) -> str | None:
        step = self.steps[step_id]
        if step.status != "failed":
            return None
        step.status, step.dispatched, step.attempts, step.reason = "pending", False, 0, None
        for other in self.steps.values():
            if other.status == "cancelled" and other.reason == DEPENDENCY_FAILED:
                other.status, other.reason = "pending", None
        if self.status == "done_with_problems":
            self.status = "in_progress"
        return self.case_id


class DurableFakeStore(FakeStore):
    """The fake store with recovery and withdrawal: tests mark steps stuck or busy by hand."""

    def __init__(self, steps: list[FakeStep], case_id: str = "case-1") -> None:
        super().__init__(steps, case_id)
        self.stuck: set[str] = set()
        self.busy: set[str] = set()
        self.withdrawal: dict[str, str] = {}
        self.withdrawal_retry: set[str] = set()  # scheduled; every one counts as due
        self.withdrawn_at = dt.datetime.now(dt.UTC)

    def stalled_cases(self, limit: int) -> list[str]:
        open_case = self.status in ("received", "in_progress")
        status = {s.key: s.status for s in self.steps.values()}

        def may_go(step: FakeStep) -> bool:  # nothing it needs is still under way
            return all(status.get(key, "done") in TERMINAL_STEP_STATUSES for key in step.depends_on)

        unsent = any(
            s.status == "pending" and not s.dispatched and may_go(s) for s in self.steps.values()
        )
        active = any(s.status in ("pending", "running", "waiting") for s in self.steps.values())
        return [self.case_id] if open_case and (unsent or not active) else []

    def stuck_steps(self, limit: int) -> list[str]:
        return sorted(self.stuck)

    def requeue_step(self, step_id: str) -> tuple[str, str] | None:
        if step_id not in self.stuck:
            return None
        self.stuck.discard(step_id)
        step = self.steps[step_id]
        step.status, step.dispatched = "pending", True
        self.events.append(("recovered", step_id))
        return self.case_id, step.agency

    def claim_due_retries(self, limit: int) -> list[tuple[str, str]]:
        if self.status not in ("received", "in_progress"):
            return []
        due = sorted(i for i in self.scheduled if self.steps[i].status == "running")[:limit]
        for step_id in due:
            self.scheduled.discard(step_id)
            self.steps[step_id].status, self.steps[step_id].dispatched = "pending", True
        return [(step_id, self.steps[step_id].agency) for step_id in due]

    def withdraw_case(self, case_id: str, actor: str) -> list[tuple[str, str]] | None:
        if self.status not in ("received", "in_progress"):
            return None
        self.status = "withdrawn"
        to_tell = []
        for step in self.steps.values():
            if step.status == "pending":
                step.status, step.reason = "cancelled", WITHDRAWN
            elif step.status in ("running", "waiting", "done"):
                self.withdrawal[step.id] = "due"
                to_tell.append((step.id, step.agency))
        return to_tell

    def begin_withdrawal(self, step_id: str) -> WithdrawalWork | None:
        if self.withdrawal.get(step_id) != "due":
            return None
        step = self.steps[step_id]
        return WithdrawalWork(
            step.id,
            self.case_id,
            step.key,
            step.agency,
            "moving",
            step.reference,
            step_id in self.busy,
            scheduled=step_id in self.withdrawal_retry,
            since=self.withdrawn_at,
        )

    def withdrawal_finished(self, step_id: str, reason: str | None = None) -> None:
        if self.withdrawal.get(step_id) == "due":
            self.withdrawal_retry.discard(step_id)
            self.withdrawal[step_id] = "sent" if reason is None else "failed"
            step = self.steps[step_id]
            if step.status in ("pending", "running", "waiting"):
                step.status, step.reason = "cancelled", WITHDRAWN

    def withdrawal_retry_scheduled(self, step_id: str, delay_s: float) -> None:
        self.withdrawal_retry.add(step_id)

    def withdrawals_due(self, limit: int) -> list[tuple[str, str]]:
        return [(i, self.steps[i].agency) for i, state in self.withdrawal.items() if state == "due"]


class FakeDispatcher:
    def __init__(self, fail: bool = False) -> None:
        self.sent: list[list[tuple[str, str]]] = []
        self.withdrawals: list[list[tuple[str, str]]] = []
        self.fail = fail

    def dispatch(self, steps: list[tuple[str, str]]) -> None:
        if self.fail:
            raise ConnectionError("broker down")
        self.sent.append(list(steps))

    def dispatch_withdrawals(self, steps: list[tuple[str, str]]) -> None:
        if self.fail:
            raise ConnectionError("broker down")
        self.withdrawals.append(list(steps))


class ScriptedAgency(AgencyAdapter):
    """Answers from a script: each call pops the next outcome (an exception or a receipt)."""

    def __init__(self, agency: str, script: list[Any] | None = None) -> None:
        super().__init__(agency)
        self.script = list(script or [])
        self.requests: list[SubmissionRequest] = []
        self.withdrawn: list[WithdrawalRequest] = []

    def withdraw(self, request: WithdrawalRequest) -> None:
        self.withdrawn.append(request)
        outcome = self.script.pop(0) if self.script else None
        if isinstance(outcome, Exception):
            raise outcome

    def submit(self, request: SubmissionRequest) -> Receipt:
        self.requests.append(request)
        outcome = self.script.pop(0) if self.script else Receipt("done", f"REF-{request.step}")
        if isinstance(outcome, Exception):
            raise outcome
        return replace(outcome) if isinstance(outcome, Receipt) else outcome


class FakeAdapters:
    def __init__(self, **agencies: ScriptedAgency) -> None:
        self.agencies = agencies

    def for_agency(self, agency: str) -> AgencyAdapter:
        return self.agencies.setdefault(agency, ScriptedAgency(agency))

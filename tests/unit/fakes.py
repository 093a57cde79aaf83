"""Hand-written fakes of the workflow store, dispatcher and adapters, for unit tests."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from agencies.base import AgencyAdapter, Receipt, SubmissionRequest
from workflows.engine import DEPENDENCY_FAILED
from workflows.store import CaseState, Decision, StepState, StepWork


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

    def claim_for_dispatch(self, step_ids: list[str]) -> list[str]:
        claimed = []
        for step_id in step_ids:
            step = self.steps[step_id]
            if step.status == "pending" and not step.dispatched:
                step.dispatched = True
                claimed.append(step_id)
        if claimed and self.status == "received":
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

    def step_retrying(self, step_id: str, reason: str, delay_s: float) -> None:
        self.events.append(("retry", step_id))

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


class FakeDispatcher:
    def __init__(self, fail: bool = False) -> None:
        self.sent: list[list[tuple[str, str]]] = []
        self.fail = fail

    def dispatch(self, steps: list[tuple[str, str]]) -> None:
        if self.fail:
            raise ConnectionError("broker down")
        self.sent.append(list(steps))


class ScriptedAgency(AgencyAdapter):
    """Answers from a script: each call pops the next outcome (an exception or a receipt)."""

    def __init__(self, agency: str, script: list[Any] | None = None) -> None:
        super().__init__(agency)
        self.script = list(script or [])
        self.requests: list[SubmissionRequest] = []

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

"""The workflows' `Store`, over Kontaktpunkt's database: short transactions, conditional updates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from workflows.engine import DEPENDENCY_FAILED
from workflows.store import CaseState, Decision, StepState, StepWork

from .extensions import db
from .inbox import step_due_at
from .models import Case, CaseEvent, DataShare, Person, Step, now
from .recovery_store import RecoveryStore

ACTIVE = ("pending", "running", "waiting")


class SqlStore(RecoveryStore):
    """Reads and changes case state for the workflow engine."""

    def case_state(self, case_id: str) -> CaseState | None:
        """The case and its steps, or None."""
        try:
            case = db.session.get(Case, case_id)
            if case is None:
                return None
            rows = db.session.execute(
                sa.select(
                    Step.id, Step.key, Step.agency, Step.status, Step.depends_on, Step.dispatched_at
                )
                .where(Step.case_id == case_id)
                .order_by(Step.position)
            ).all()
            return CaseState(
                id=case.id,
                life_event=case.life_event,
                status=case.status,
                steps=tuple(
                    StepState(
                        id=row.id,
                        key=row.key,
                        agency=row.agency,
                        status=row.status,
                        depends_on=tuple(row.depends_on),
                        dispatched=row.dispatched_at is not None,
                    )
                    for row in rows
                ),
            )
        finally:
            db.session.rollback()

    def claim_for_dispatch(self, step_ids: list[str]) -> list[str]:
        """Claim pending, undispatched steps; the conditional update makes one caller win."""
        # One conditional UPDATE ... RETURNING for all of them: no round trip per step.
        rows = db.session.execute(
            sa.update(Step)
            .where(Step.id.in_(step_ids), Step.status == "pending", Step.dispatched_at.is_(None))
            .values(dispatched_at=now())
            .returning(Step.id, Step.case_id)
        ).all()
        claimed = [row.id for row in rows if row.id in step_ids]
        if claimed:
            db.session.execute(
                sa.update(Case)
                .where(Case.id.in_({row.case_id for row in rows}), Case.status == "received")
                .values(status="in_progress")
            )
        db.session.commit()
        return sorted(claimed, key=step_ids.index)

    def release_dispatch(self, step_ids: list[str]) -> None:
        """Let a later sweep send these steps again."""
        db.session.execute(
            sa.update(Step)
            .where(Step.id.in_(step_ids), Step.status == "pending")
            .values(dispatched_at=None)
        )
        db.session.commit()

    def begin_step(self, step_id: str) -> StepWork | None:
        """Mark the step running (again, after a retry or a lost worker) and read its work."""
        result = db.session.execute(
            sa.update(Step)
            .where(Step.id == step_id, *self.may_begin(now()))
            .values(
                status="running",
                ball="agency",
                attempts=Step.attempts + 1,
                started_at=now(),
                lease_expires_at=now() + dt.timedelta(seconds=self.step_timeout_s),
            )
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            db.session.rollback()
            return None
        step = db.session.get(Step, step_id)
        assert step is not None
        case = step.case
        person = db.session.get(Person, case.person_id)
        assert person is not None
        produced: dict[str, Any] = {}
        by_key = {other.key: other for other in case.steps}
        upstream, seen = list(step.depends_on), set()
        while upstream:  # what every step before this one produced, however far up
            key = upstream.pop()
            if key in by_key and key not in seen:
                seen.add(key)
                produced = {**(by_key[key].outputs or {}), **produced}
                upstream.extend(by_key[key].depends_on)
        work = StepWork(
            step_id=step.id,
            case_id=case.id,
            key=step.key,
            agency=step.agency,
            life_event=case.life_event,
            idempotency_key=step.id,
            attempt=step.attempts,
            fields=tuple(step.fields),
            manual=step.manual,
            answers=dict(case.answers),
            person={"personal_number": person.personal_number, "name": person.name},
            produced=produced,
            complement=step.complement_answer,
            on_behalf_of=case.on_behalf_of,
        )
        if step.attempts == 1:
            self._event(case.id, step.id, "step_started", agency=step.agency)
        db.session.commit()
        return work

    def record_share(self, work: StepWork, fields: list[str], reference: str) -> None:
        """Log the transfer once per step."""
        exists = db.session.scalar(sa.select(DataShare.id).where(DataShare.step_id == work.step_id))
        if exists is None:
            case = db.session.get(Case, work.case_id)
            assert case is not None
            db.session.add(
                DataShare(
                    person_id=case.person_id,
                    case_id=work.case_id,
                    step_id=work.step_id,
                    recipient=work.agency,
                    fields=fields,
                    basis="consent",
                    reference=reference,
                )
            )
        db.session.commit()

    def step_done(
        self, step_id: str, reference: str, outputs: Mapping[str, Any], message: str
    ) -> None:
        """The agency registered the step."""
        self._transition(
            step_id,
            "step_done",
            status="done",
            ball="none",
            agency_reference=reference,
            outputs=dict(outputs),
            status_reason=message or None,
            finished_at=now(),
        )

    def step_waiting(self, step_id: str, ball: str, reference: str, message: str) -> None:
        """The step waits for a person; the ball says who."""
        self._transition(
            step_id,
            "step_waiting",
            status="waiting",
            ball=ball,
            agency_reference=reference,
            status_reason=message or None,
            due_at=sa.func.coalesce(Step.due_at, step_due_at(step_id)),  # its service level
        )

    def step_retrying(self, step_id: str, reason: str, delay_s: float) -> None:
        """Note a transient failure in the timeline; the step stays running until its retry."""
        lease = now() + dt.timedelta(seconds=delay_s)
        db.session.execute(
            sa.update(Step)
            .where(Step.id == step_id, Step.status == "running")
            .values(lease_expires_at=lease)
        )
        step = db.session.get(Step, step_id)
        if step is not None:
            self._event(
                step.case_id,
                step_id,
                "step_retry",
                agency=step.agency,
                reason=reason,
                attempt=step.attempts,
                delay_s=round(delay_s, 1),
            )
        db.session.commit()

    def step_failed(self, step_id: str, reason: str) -> None:
        """The step cannot be done."""
        self._transition(
            step_id,
            "step_failed",
            status="failed",
            ball="agency",
            status_reason=reason,
            finished_at=now(),
        )

    def cancel_steps(self, step_ids: list[str], reason: str) -> None:
        """Cancel steps that can no longer run."""
        for step_id in step_ids:
            self._transition(
                step_id,
                "step_cancelled",
                allowed=("pending",),
                status="cancelled",
                ball="none",
                status_reason=reason,
                finished_at=now(),
            )

    def close_case(self, case_id: str, status: str) -> None:
        """Give the case its final status, once."""
        result = db.session.execute(
            sa.update(Case)
            .where(Case.id == case_id, Case.status.in_(("received", "in_progress")))
            .values(status=status, closed_at=now())
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            self._event(case_id, None, "case_closed", status=status)
        db.session.commit()

    def apply_decision(self, step_id: str, decision: Decision) -> str | None:
        """Decide a step that waits for its agency; None if it does not."""
        waiting = (Step.status == "waiting", Step.ball == "agency")
        values: dict[str, Any]
        if decision.kind == "approve":
            reference = decision.reference or Step.agency_reference
            values = {"status": "done", "ball": "none", "outcome": "approved"}
            values |= {"agency_reference": reference, "finished_at": now()}
        elif decision.kind == "reject":
            values = {"status": "failed", "ball": "none", "outcome": "rejected"}
            values |= {"status_reason": decision.reason, "finished_at": now()}
        else:
            values = {"ball": "citizen", "complement_question": decision.question}
            values |= {"complement_answer": None}
        kind = {"approve": "step_approved", "reject": "step_rejected"}.get(
            decision.kind, "complement_requested"
        )
        return self._decide(step_id, waiting, values, kind, actor=decision.actor)

    def apply_complement_answer(self, step_id: str, answer: str, actor: str) -> str | None:
        """The citizen answered: a person at the agency reads it, or the step is sent again."""
        step = db.session.get(Step, step_id)
        if step is None:
            return None
        values: dict[str, Any] = {"ball": "agency", "complement_answer": answer}
        if not step.manual:
            values |= {"status": "pending", "dispatched_at": None}
        db.session.rollback()
        condition = (Step.status == "waiting", Step.ball == "citizen")
        return self._decide(step_id, condition, values, "complement_answered", actor=actor)

    def reopen_failed_step(self, step_id: str, actor: str) -> str | None:
        """Make a failed step pending again, with the steps cancelled because of it."""
        values = {"status": "pending", "ball": "agency", "dispatched_at": None, "attempts": 0}
        values |= {"status_reason": None, "outcome": None, "finished_at": None}
        case_id = self._decide(step_id, (Step.status == "failed",), values, "step_retried", actor)
        if case_id is None:
            return None
        db.session.execute(
            sa.update(Step)
            .where(
                Step.case_id == case_id,
                Step.status == "cancelled",
                Step.status_reason == DEPENDENCY_FAILED,
            )
            .values(status="pending", ball="agency", status_reason=None, finished_at=None)
        )
        db.session.execute(
            sa.update(Case)
            .where(Case.id == case_id, Case.status == "done_with_problems")
            .values(status="in_progress", closed_at=None)
        )
        db.session.commit()
        return case_id

    def _decide(
        self,
        step_id: str,
        condition: tuple[Any, ...],
        values: dict[str, Any],
        kind: str,
        actor: str,
    ) -> str | None:
        """A conditional change of one step with its timeline entry; None if it did not apply."""
        result = db.session.execute(
            sa.update(Step).where(Step.id == step_id, *condition).values(**values)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            db.session.rollback()
            return None
        step = db.session.get(Step, step_id)
        assert step is not None
        self._event(step.case_id, step_id, kind, agency=step.agency, actor=actor)
        db.session.commit()
        return step.case_id

    def _transition(
        self, step_id: str, kind: str, allowed: tuple[str, ...] = ACTIVE, **values: Any
    ) -> None:
        """Change a step that is still active; a repeated call changes nothing."""
        result = db.session.execute(
            sa.update(Step).where(Step.id == step_id, Step.status.in_(allowed)).values(**values)
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            step = db.session.get(Step, step_id)
            assert step is not None
            detail = {"agency": step.agency}
            if values.get("status_reason"):
                detail["reason"] = values["status_reason"]
            if values.get("agency_reference"):
                detail["reference"] = values["agency_reference"]
            self._event(step.case_id, step_id, kind, **detail)
        db.session.commit()

    def _event(self, case_id: str, step_id: str | None, kind: str, **detail: Any) -> None:
        db.session.add(CaseEvent(case_id=case_id, step_id=step_id, kind=kind, detail=detail))

"""The store's decisions on a step by people: an officer's, a citizen's complement, a retry."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from contactpoint.db.models import Case, Step, now
from contactpoint.db.transition_store import StepChanges
from contactpoint.extensions import db
from workflows.engine import DEPENDENCY_FAILED
from workflows.statuses import Ball, CaseStatus, StepStatus
from workflows.store import Decision


class Decisions(StepChanges):
    """Decides a step that waits for a person: its agency's officer, or the citizen."""

    def apply_decision(self, step_id: str, decision: Decision) -> str | None:
        """Decide a step that waits for its agency; None if it does not."""
        waiting = (Step.status == StepStatus.WAITING, Step.ball == Ball.AGENCY)
        values: dict[str, Any]
        if decision.kind == "approve":
            reference = decision.reference or Step.agency_reference
            values = {"status": StepStatus.DONE, "ball": Ball.NONE, "outcome": "approved"}
            values |= {"agency_reference": reference, "finished_at": now()}
        elif decision.kind == "reject":
            values = {"status": StepStatus.FAILED, "ball": Ball.NONE, "outcome": "rejected"}
            values |= {"status_reason": decision.reason, "finished_at": now()}
        else:
            values = {"ball": Ball.CITIZEN, "complement_question": decision.question}
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
        values: dict[str, Any] = {"ball": Ball.AGENCY, "complement_answer": answer}
        if not step.manual:
            values |= {"status": StepStatus.PENDING, "dispatched_at": None}
        db.session.rollback()
        condition = (Step.status == StepStatus.WAITING, Step.ball == Ball.CITIZEN)
        return self._decide(step_id, condition, values, "complement_answered", actor=actor)

    def reopen_failed_step(self, step_id: str, actor: str) -> str | None:
        """Make a failed step pending again, with the steps cancelled because of it."""
        values = {
            "status": StepStatus.PENDING,
            "ball": Ball.AGENCY,
            "dispatched_at": None,
            "attempts": 0,
        }
        values |= {"status_reason": None, "reason_code": None, "outcome": None}
        values |= {"finished_at": None}
        with self.atomic():
            case_id = self._decide(
                step_id, (Step.status == StepStatus.FAILED,), values, "step_retried", actor
            )
            if case_id is None:
                return None
            db.session.execute(
                sa.update(Step)
                .where(
                    Step.case_id == case_id,
                    Step.status == StepStatus.CANCELLED,
                    Step.reason_code == DEPENDENCY_FAILED,
                )
                .values(
                    status=StepStatus.PENDING, ball=Ball.AGENCY, reason_code=None, finished_at=None
                )
            )
            db.session.execute(
                sa.update(Case)
                .where(Case.id == case_id, Case.status == CaseStatus.DONE_WITH_PROBLEMS)
                .values(status=CaseStatus.IN_PROGRESS, closed_at=None)
            )
        return case_id

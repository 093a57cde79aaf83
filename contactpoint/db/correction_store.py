"""The store's corrections: what a correction starts from, and carrying one out."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from contactpoint.db.models import Case, Step, now
from contactpoint.db.statements.events import add_event
from contactpoint.db.transactions import Transactions
from contactpoint.extensions import db
from workflows.corrections.plan import CorrectionPlan, SentStep
from workflows.statuses import NO_LONGER_APPLIES, Ball, CaseStatus, StepStatus
from workflows.store import SentCase

# A step whose agency must be told it no longer applies.
TOLD = (StepStatus.RUNNING, StepStatus.WAITING, StepStatus.DONE)


class CorrectionStore(Transactions):
    """Reads a sent case for a correction and stores the correction's changes."""

    def correction_basis(self, case_id: str) -> SentCase | None:
        """The case, its answers and its steps, as a correction starts from them."""
        try:
            case = db.session.get(Case, case_id)
            if case is None:
                return None
            steps = tuple(
                SentStep(
                    id=step.id,
                    key=step.key,
                    agency=step.agency,
                    status=step.status,
                    fields=tuple(step.fields),
                    outcome=step.outcome,
                    withdrawal=step.withdrawal,
                    ball=step.ball,
                )
                for step in case.steps
            )
            return SentCase(case.life_event, case.status, dict(case.answers), steps)
        finally:
            self._let_go()

    def apply_correction(
        self, case_id: str, plan: CorrectionPlan, actor: str
    ) -> list[tuple[str, str]] | None:
        """Store the new answers and the correction's steps; end what no longer applies."""
        moment = now()
        case = db.session.execute(
            sa.select(Case).where(Case.id == case_id).with_for_update()
        ).scalar_one_or_none()
        if case is None or case.status == CaseStatus.WITHDRAWN:
            return None
        sources = dict(case.sources or {})
        for key in plan.changed:
            if key in plan.answers:
                sources[key] = {"kind": "citizen"}
            else:
                sources.pop(key, None)
        case.answers = dict(plan.answers)
        case.sources = sources
        case.consented_preview = {**(case.consented_preview or {}), **plan.consent}
        case.consented_at = moment
        if case.status != CaseStatus.RECEIVED:  # closed cases open again; the engine closes them
            case.status, case.closed_at = CaseStatus.IN_PROGRESS, None
        add_event(case_id, None, "case_corrected", moment, actor=actor, fields=list(plan.changed))
        position = max((step.position for step in case.steps), default=-1) + 1
        for item in plan.corrections:
            step = self._new_step(case_id, position, item.key, item.agency, moment)
            step.fields, step.manual = list(item.fields), item.request
            said = {"corrects": item.step_id, "fields": list(item.fields), "request": item.request}
            add_event(case_id, step.id, "correction_planned", moment, agency=item.agency, **said)
            position += 1
        for plan_step in plan.added:
            step = self._new_step(case_id, position, plan_step.id, plan_step.step.agency, moment)
            step.fields, step.depends_on = list(plan_step.fields), list(plan_step.depends_on)
            step.manual = plan_step.step.handling == "manual"
            if plan_step.status == StepStatus.NOT_NEEDED:
                step.status, step.ball, step.finished_at = plan_step.status, Ball.NONE, moment
            add_event(case_id, step.id, "step_added", moment, agency=step.agency)
            position += 1
        by_id = {step.id: step for step in case.steps}
        for step_id, fields in plan.refields.items():
            if by_id[step_id].status == StepStatus.PENDING:
                by_id[step_id].fields = list(fields)
        to_tell = [
            (step.id, step.agency)
            for removed in plan.removed
            if (step := by_id[removed.id]) and self._no_longer_applies(step, moment)
        ]
        db.session.flush()
        self._commit()
        return to_tell

    @staticmethod
    def _new_step(case_id: str, position: int, key: str, agency: str, moment: Any) -> Step:
        """A pending step at the end of the case."""
        step = Step(case_id=case_id, position=position, key=key, agency=agency, attempts=0)
        step.status, step.ball, step.outputs, step.updated_at = "pending", "agency", {}, moment
        step.depends_on, step.fields, step.manual = [], [], False
        db.session.add(step)
        db.session.flush()  # its id, for the timeline
        return step

    @staticmethod
    def _no_longer_applies(step: Step, moment: Any) -> bool:
        """End a step a correction took away; True when its agency must be told."""
        held = step.status == StepStatus.WAITING and step.ball == Ball.PERSON  # never sent
        told = step.status in TOLD and step.withdrawal is None and not held
        step.status, step.ball, step.reason_code = (
            StepStatus.NOT_NEEDED,
            Ball.NONE,
            NO_LONGER_APPLIES,
        )
        step.finished_at, step.next_attempt_at = moment, None
        if step.retry_at is not None:
            step.retry_at = step.lease_expires_at = None
        if told:
            step.withdrawal = "due"
        add_event(step.case_id, step.id, "step_no_longer_applies", moment, agency=step.agency)
        return told

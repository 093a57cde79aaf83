"""The store's durability half: leases, the outbox sweep, stuck steps and withdrawals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from contactpoint.db.models import Case, Confirmation, Step, now, utc
from contactpoint.db.statements.events import add_event
from contactpoint.db.statements.tables import (
    CASES,
    OPEN_CASE,
    STEPS,
    UNDER_WAY,
    among,
    in_open_case,
    waits_for_a_step_under_way,
)
from contactpoint.db.transactions import Transactions
from contactpoint.extensions import db
from workflows.statuses import NO_LONGER_APPLIES, Ball, CaseStatus, StepStatus
from workflows.store import WithdrawalWork
from workflows.withdrawal import WITHDRAWN


class RecoveryStore(Transactions):
    """Leases on running steps, and what recovery and withdrawal read and change."""

    def __init__(
        self,
        step_timeout_s: float = 120.0,
        dispatch_timeout_s: float = 600.0,
        recovery_grace_s: float = 10.0,
    ) -> None:
        self.step_timeout_s = step_timeout_s
        self.dispatch_timeout_s = dispatch_timeout_s
        self.recovery_grace_s = recovery_grace_s

    def _stuck(self, moment: dt.datetime) -> tuple[Any, ...]:
        """Running past its lease (and a grace), or sent long ago and never begun."""
        lease_over = moment - dt.timedelta(seconds=self.recovery_grace_s)
        sent_before = moment - dt.timedelta(seconds=self.dispatch_timeout_s)
        running = sa.and_(
            Step.status == StepStatus.RUNNING,
            sa.or_(Step.lease_expires_at.is_(None), Step.lease_expires_at < lease_over),
            Step.retry_at.is_(None),  # a scheduled retry is `claim_due_retries`'s
        )
        lost = sa.and_(Step.status == StepStatus.PENDING, Step.dispatched_at < sent_before)
        return (sa.or_(running, lost), in_open_case())

    def stalled_cases(self, limit: int) -> list[str]:
        """Open cases with a step that could go but was never sent, or with no step left open.

        A step that waits for one still under way (with its agency, for days when a person
        handles it) is not owed anything: were such cases candidates, the oldest of them would
        fill every pass, up to its limit, and hide the newer cases that are stalled.
        """
        open_case = among(CASES.c.status, OPEN_CASE)
        unsent = (  # from the steps: few are pending, unsent and not waiting for another
            sa.select(CASES.c.id, CASES.c.created_at)
            .join_from(STEPS, CASES, CASES.c.id == STEPS.c.case_id)
            .where(
                STEPS.c.status == StepStatus.PENDING,
                STEPS.c.dispatched_at.is_(None),
                sa.not_(waits_for_a_step_under_way()),
                open_case,
            )
        )
        active = among(STEPS.c.status, UNDER_WAY)
        ended = sa.select(CASES.c.id, CASES.c.created_at).where(
            open_case, sa.not_(sa.exists().where(STEPS.c.case_id == CASES.c.id, active))
        )
        either = sa.union(unsent, ended).subquery()  # each part planned by itself
        query = sa.select(either.c.id).order_by(either.c.created_at).limit(limit)
        try:
            return list(db.session.scalars(query))
        finally:
            db.session.rollback()

    def stuck_steps(self, limit: int) -> list[str]:
        """Steps recovery must drive again."""
        query = sa.select(Step.id).where(*self._stuck(now())).limit(limit)
        try:
            return list(db.session.scalars(query))
        finally:
            db.session.rollback()

    def requeue_step(self, step_id: str) -> tuple[str, str] | None:
        """Claim a stuck step for a new dispatch; the conditional update makes one sweep win."""
        moment = now()
        result = db.session.execute(
            sa.update(Step)
            .where(Step.id == step_id, *self._stuck(moment))
            .values(
                status=StepStatus.PENDING,
                dispatched_at=moment,
                lease_expires_at=None,
                next_attempt_at=None,
            )
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            db.session.rollback()
            return None
        step = db.session.get(Step, step_id)
        assert step is not None
        add_event(
            step.case_id, step_id, "step_recovered", agency=step.agency, attempt=step.attempts
        )
        db.session.commit()
        return step.case_id, step.agency

    def claim_due_retries(self, limit: int) -> list[tuple[str, str]]:
        """Take back for dispatch, in one statement, up to `limit` steps whose scheduled retry
        is due; the conditional update makes one sweep win each. The timeline already says
        when the step would be tried again, so no line is added."""
        moment = now()
        due = (
            Step.status == StepStatus.RUNNING,
            Step.retry_at.is_not(None),
            Step.lease_expires_at <= moment,  # the lease runs until the retry: its index
            in_open_case(),
        )
        oldest = sa.select(Step.id).where(*due).order_by(Step.lease_expires_at).limit(limit)
        claim = (
            sa.update(Step)
            .where(Step.id.in_(oldest.scalar_subquery()), *due)
            .values(
                status=StepStatus.PENDING,
                dispatched_at=moment,
                lease_expires_at=None,
                retry_at=None,
                next_attempt_at=None,
            )
            .returning(Step.id, Step.agency)
        )
        rows = db.session.execute(claim, execution_options={"synchronize_session": False}).all()
        db.session.commit()
        return [(row.id, row.agency) for row in rows]

    def withdraw_case(self, case_id: str, actor: str) -> list[tuple[str, str]] | None:
        """Withdraw an open case: cancel steps not started, mark the others to be told."""
        moment = now()
        result = db.session.execute(
            sa.update(Case)
            .where(Case.id == case_id, Case.status.in_(OPEN_CASE))
            .values(status=CaseStatus.WITHDRAWN, closed_at=moment)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            db.session.rollback()
            return None
        add_event(case_id, None, "case_withdrawn", actor=actor)
        to_tell: list[tuple[str, str]] = []
        for step in db.session.scalars(sa.select(Step).where(Step.case_id == case_id)):
            held = step.status == StepStatus.WAITING and step.ball == Ball.PERSON  # not sent
            if step.status == StepStatus.PENDING or held:
                step.status, step.ball, step.reason_code = (
                    StepStatus.CANCELLED,
                    Ball.NONE,
                    WITHDRAWN,
                )
                step.finished_at = moment
                add_event(case_id, step.id, "step_cancelled", agency=step.agency, code=WITHDRAWN)
            elif step.status in (StepStatus.RUNNING, StepStatus.WAITING, StepStatus.DONE):
                step.withdrawal = "due"
                step.ball = Ball.NONE if step.status != StepStatus.RUNNING else step.ball
                if step.retry_at is not None:  # its scheduled retry is moot: nothing runs
                    step.retry_at = step.lease_expires_at = None
                step.next_attempt_at = None  # it is tried no more; its withdrawal is told
                to_tell.append((step.id, step.agency))
        db.session.execute(  # nothing is left for anyone to confirm
            sa.update(Confirmation)
            .where(Confirmation.case_id == case_id, Confirmation.state == "asked")
            .values(state="void", decided_at=moment)
        )
        db.session.commit()
        return to_tell

    def begin_withdrawal(self, step_id: str) -> WithdrawalWork | None:
        """The withdrawal due on a step; busy while an attempt at the step holds its lease."""
        try:
            step = db.session.get(Step, step_id)
            if step is None or step.withdrawal != "due":
                return None
            lease, since = utc(step.lease_expires_at), utc(step.case.closed_at)
            return WithdrawalWork(
                step_id=step.id,
                case_id=step.case_id,
                key=step.key,
                agency=step.agency,
                life_event=step.case.life_event,
                reference=step.agency_reference,
                busy=step.status == StepStatus.RUNNING
                and step.retry_at is None  # a scheduled retry is not an attempt under way
                and lease is not None
                and lease > now(),
                scheduled=step.retry_at is not None,
                since=since,
            )
        finally:
            db.session.rollback()

    def withdrawal_finished(self, step_id: str, reason: str | None = None) -> None:
        """Record that the agency was told; a step not yet done ends as cancelled."""
        outcome = "sent" if reason is None else "failed"
        result = db.session.execute(
            sa.update(Step)
            .where(Step.id == step_id, Step.withdrawal == "due")
            .values(withdrawal=outcome, retry_at=None)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            db.session.rollback()
            return
        step = db.session.get(Step, step_id)
        assert step is not None
        if step.status in UNDER_WAY:
            step.status, step.ball, step.reason_code = StepStatus.CANCELLED, Ball.NONE, WITHDRAWN
            step.finished_at = now()
        detail: dict[str, Any] = {"agency": step.agency} | ({"reason": reason} if reason else {})
        if step.reason_code == NO_LONGER_APPLIES:  # a correction took it away, not a withdrawal
            detail["code"] = NO_LONGER_APPLIES
        add_event(step.case_id, step_id, f"withdrawal_{outcome}", **detail)
        db.session.commit()

    def withdrawal_retry_scheduled(self, step_id: str, delay_s: float) -> None:
        """The agency could not be told yet: `withdrawals_due` offers it again in `delay_s`."""
        retry_at = now() + dt.timedelta(seconds=delay_s)
        db.session.execute(
            sa.update(Step)
            .where(Step.id == step_id, Step.withdrawal == "due")
            .values(retry_at=retry_at)
        )
        db.session.commit()

    def withdrawals_due(self, limit: int) -> list[tuple[str, str]]:
        """Withdrawals due for longer than a grace period (their message may be lost), or
        whose scheduled retry is due."""
        moment = now()
        before = moment - dt.timedelta(seconds=self.recovery_grace_s)
        query = (
            sa.select(Step.id, Step.agency)
            .where(
                Step.withdrawal == "due",
                sa.or_(
                    sa.and_(Step.retry_at.is_(None), Step.updated_at < before),
                    Step.retry_at <= moment,
                ),
            )
            .limit(limit)
        )
        try:
            return [(row.id, row.agency) for row in db.session.execute(query)]
        finally:
            db.session.rollback()

"""The workflows' `Store`, over Kontaktpunkt's database: short transactions, conditional updates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from contactpoint.db.correction_store import CorrectionStore
from contactpoint.db.decision_store import Decisions
from contactpoint.db.inbox import step_due_at
from contactpoint.db.message_store import MessageStore
from contactpoint.db.models import Step, now, utc
from contactpoint.db.recovery_store import RecoveryStore
from contactpoint.db.retention_store import RetentionSql
from contactpoint.db.state_store import StateReads, produced_before
from contactpoint.db.statements.cases import CASES_IN_PROGRESS, CLOSE_CASE, closing
from contactpoint.db.statements.connections import locks_rows, run, run_alone
from contactpoint.db.statements.events import add_event, gather_share, gathered
from contactpoint.db.statements.json_inserts import as_json, lines_json
from contactpoint.db.statements.steps import CLAIM, begin_step
from contactpoint.db.statements.tables import checked
from contactpoint.db.statistics_store import StatisticsSql
from contactpoint.db.transition_store import StepChanges
from contactpoint.extensions import db
from workflows import catalogue, declared_step
from workflows.statuses import Ball, StepStatus
from workflows.store import StepWork


class SqlStore(
    Decisions,
    StepChanges,
    StateReads,
    RecoveryStore,
    RetentionSql,
    MessageStore,
    StatisticsSql,
    CorrectionStore,
):
    """Changes case state for the workflow engine; reads it, lets people decide, recovers,
    removes what has expired, writes people's messages, rolls up the statistics and stores
    corrections through the classes it is made of."""

    def claim_for_dispatch(self, step_ids: list[str], start_case: bool = True) -> list[str]:
        """Claim pending, undispatched steps; the conditional update makes one caller win."""
        # One conditional UPDATE ... RETURNING for all of them: no round trip per step.
        rows = run(CLAIM, ids=step_ids, now=now()).all()
        claimed = [row.id for row in rows if row.id in step_ids]
        if claimed and start_case:
            run(CASES_IN_PROGRESS, ids=sorted({row.case_id for row in rows}))
        self._commit()
        return sorted(claimed, key=step_ids.index)

    def release_dispatch(self, step_ids: list[str]) -> None:
        """Let a later sweep send these steps again."""
        db.session.execute(
            sa.update(Step)
            .where(Step.id.in_(step_ids), checked(Step.status == StepStatus.PENDING))
            .values(dispatched_at=None)
        )
        self._commit()

    def begin_step(self, step_id: str) -> StepWork | None:
        """Mark the step running (again, after a retry or a lost worker) and read its work.

        One statement, committed by itself without waiting for the disk: a conditional
        UPDATE ... RETURNING wins the step and reads its case, its person and what the steps
        before it produced. The answer's commit makes it durable; were it lost in a crash of
        the database, the step is sent again, with the same idempotency key.
        """
        moment = now()
        lease = moment + dt.timedelta(seconds=self.step_timeout_s)
        begin = begin_step(db.engine.dialect.name)
        won = run_alone(begin, durable=False, step_id=step_id, now=moment, lease=lease)
        if not won:
            return None
        begun = won[0]
        return StepWork(
            step_id=step_id,
            case_id=begun.case_id,
            key=begun.key,
            agency=begun.agency,
            life_event=begun.life_event,
            idempotency_key=step_id,
            attempt=begun.attempts,
            fields=tuple(begun.fields),
            manual=begun.manual,
            answers=dict(begun.answers),
            person={"personal_number": begun.personal_number, "name": begun.name},
            produced=produced_before(begun.produced, begun.depends_on),
            complement=begun.complement_answer,
            on_behalf_of=begun.on_behalf_of,
            acting_basis=begun.acting_basis,
            person_id=begun.person_id,
            began_at=moment,
            sent_at=utc(begun.dispatched_at),
        )

    def step_started(self, work: StepWork) -> None:
        """The timeline's line for the step's start, at the moment it began."""
        add_event(work.case_id, work.step_id, "step_started", work.began_at, agency=work.agency)
        self._commit()

    def record_share(self, work: StepWork, fields: list[str], reference: str) -> None:
        """Log the transfer once per step, with the legal basis its step declares."""
        declared = declared_step(catalogue().get(work.life_event), work.key)
        basis = declared.legal_basis if declared else None
        gather_share(
            basis=basis.kind if basis else "consent",
            person_id=work.person_id,
            case_id=work.case_id,
            step_id=work.step_id,
            recipient=work.agency,
            fields=fields,
            reference=reference,
        )
        self._commit()

    def step_done(
        self, step_id: str, reference: str, outputs: Mapping[str, Any], message: str
    ) -> None:
        """The agency registered the step."""
        self._transition(
            step_id,
            "step_done",
            status=StepStatus.DONE,
            ball=Ball.NONE,
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
            status=StepStatus.WAITING,
            ball=ball,
            agency_reference=reference,
            status_reason=message or None,
            due_at=sa.func.coalesce(Step.due_at, step_due_at(step_id)),  # its service level
        )

    def step_retrying(
        self,
        step_id: str,
        reason: str,
        delay_s: float,
        scheduled: bool = False,
        counted: bool = True,
    ) -> None:
        """Note a transient failure in the timeline; the step stays running until its retry.

        Its lease runs until the retry, so recovery leaves it alone meanwhile, and
        `next_attempt_at` says when that is. A `scheduled` retry also sets `retry_at`:
        recovery sends it then (`claim_due_retries`). An attempt not `counted` was not made
        (an open breaker skipped it): the attempt its beginning counted is taken back.
        """
        moment = now()
        lease = moment + dt.timedelta(seconds=delay_s)
        values: dict[str, Any] = {
            "lease_expires_at": lease,
            "retry_at": lease if scheduled else None,
            "next_attempt_at": lease,
        }
        if not counted:
            values["attempts"] = Step.attempts - 1
        db.session.execute(
            sa.update(Step)
            .where(Step.id == step_id, Step.status == StepStatus.RUNNING)
            .values(**values)
        )
        step = db.session.get(Step, step_id)
        if step is not None:
            when: dict[str, Any] = {}
            if scheduled or not counted:  # a wait worth telling: the time of the next attempt
                when["retry_at"] = lease.isoformat(timespec="seconds")
            if not counted:
                when["counted"] = False
            add_event(
                step.case_id,
                step_id,
                "step_retry",
                moment,
                agency=step.agency,
                reason=reason,
                attempt=step.attempts,
                delay_s=round(delay_s, 1),
                **when,
            )
        self._commit()

    def step_failed(self, step_id: str, reason: str) -> None:
        """The step cannot be done."""
        self._transition(
            step_id,
            "step_failed",
            status=StepStatus.FAILED,
            ball=Ball.AGENCY,
            status_reason=reason,
            finished_at=now(),
        )

    def cancel_steps(self, step_ids: list[str], reason: str) -> None:
        """Cancel steps that can no longer run."""
        for step_id in step_ids:
            self._transition(
                step_id,
                "step_cancelled",
                allowed=(StepStatus.PENDING,),
                status=StepStatus.CANCELLED,
                ball=Ball.NONE,
                reason_code=reason,
                finished_at=now(),
            )

    def close_case(self, case_id: str, status: str) -> None:
        """Give the case its final status, once."""
        moment = now()
        if db.session.info.get("atomic") and locks_rows():  # with its line: one statement
            lines, share = gathered()
            params = {"lines": lines_json(lines), "line_kind": "case_closed", "line_at": moment}
            if share is not None:
                params["share"] = as_json(share)
            statement = closing(share is not None)
            run(statement, case_id=case_id, new_status=status, now=moment, **params)
            return
        result = run(CLOSE_CASE, case_id=case_id, new_status=status, now=moment)
        if result.rowcount == 1:
            add_event(case_id, None, "case_closed", status=status)
        self._commit()

"""The workflows' `Store`, over Kontaktpunkt's database: short transactions, conditional updates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, cast

import sqlalchemy as sa

from contactpoint.db import statements as sql
from contactpoint.db.inbox import step_due_at
from contactpoint.db.models import Case, Step, now, utc
from contactpoint.db.recovery_store import RecoveryStore
from contactpoint.db.retention_store import RetentionSql
from contactpoint.db.statements import run
from contactpoint.db.statements.read_in_passing import read_in_passing
from contactpoint.extensions import db
from workflows.engine import DEPENDENCY_FAILED
from workflows.store import CaseState, Decision, StepState, StepWork

ACTIVE = sql.UNDER_WAY


class SqlStore(RecoveryStore, RetentionSql):
    """Reads and changes case state for the workflow engine, and removes what has expired."""

    def case_state(self, case_id: str) -> CaseState | None:
        """The case and its steps (one query), or None; locked for the rest of an atomic block.

        The state a step's change read in passing, if it is current, needs no query at all.
        """
        found = read_in_passing().take(case_id)
        if found is not None:
            return cast(CaseState, found)
        info = db.session.info
        try:
            if info.get("atomic") and sql.locks_rows() and info.get("locked_case") != case_id:
                run(sql.LOCK_CASE, case_id=case_id)
            rows = run(sql.CASE_STATE, case_id=case_id).all()
        finally:
            self._let_go()
        return self._state(case_id, rows)

    @staticmethod
    def _state(
        case_id: str, rows: Sequence[Any], changed: Mapping[str, str] | None = None
    ) -> CaseState | None:
        """The case as `CASE_STATE`'s rows have it, with the step statuses in `changed`."""
        changed = changed or {}
        if not rows:
            return None
        return CaseState(
            id=case_id,
            life_event=rows[0].life_event,
            status=rows[0].case_status,
            steps=tuple(
                StepState(
                    id=row.id,
                    key=row.key,
                    agency=row.agency,
                    status=changed.get(row.id, row.status),
                    depends_on=tuple(row.depends_on),
                    dispatched=row.dispatched_at is not None,
                )
                for row in rows
                if row.id is not None
            ),
        )

    def claim_for_dispatch(self, step_ids: list[str], start_case: bool = True) -> list[str]:
        """Claim pending, undispatched steps; the conditional update makes one caller win."""
        # One conditional UPDATE ... RETURNING for all of them: no round trip per step.
        rows = run(sql.CLAIM, ids=step_ids, now=now()).all()
        claimed = [row.id for row in rows if row.id in step_ids]
        if claimed and start_case:
            run(sql.CASES_IN_PROGRESS, ids=sorted({row.case_id for row in rows}))
        self._commit()
        return sorted(claimed, key=step_ids.index)

    def release_dispatch(self, step_ids: list[str]) -> None:
        """Let a later sweep send these steps again."""
        db.session.execute(
            sa.update(Step)
            .where(Step.id.in_(step_ids), sql.checked(Step.status == "pending"))
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
        begin = sql.begin_step(db.engine.dialect.name)
        won = sql.run_alone(begin, durable=False, step_id=step_id, now=moment, lease=lease)
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
            produced=self._produced(begun.produced, begun.depends_on),
            complement=begun.complement_answer,
            on_behalf_of=begun.on_behalf_of,
            person_id=begun.person_id,
            began_at=moment,
            sent_at=utc(begun.dispatched_at),
        )

    def step_started(self, work: StepWork) -> None:
        """The timeline's line for the step's start, at the moment it began."""
        sql.add_event(work.case_id, work.step_id, "step_started", work.began_at, agency=work.agency)
        self._commit()

    @staticmethod
    def _produced(steps: list[list[Any]], depends_on: list[str]) -> dict[str, Any]:
        """What every step before this one produced, however far up (from the case's steps
        as [key, outputs, depends_on])."""
        by_key = {key: (outputs, upstream) for key, outputs, upstream in steps}
        produced: dict[str, Any] = {}
        upstream, seen = list(depends_on), set()
        while upstream:
            key = upstream.pop()
            if key in by_key and key not in seen:
                seen.add(key)
                outputs, further = by_key[key]
                produced = {**(outputs or {}), **produced}
                upstream.extend(further or ())
        return produced

    def record_share(self, work: StepWork, fields: list[str], reference: str) -> None:
        """Log the transfer once per step."""
        sql.gather_share(
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

    def step_retrying(
        self, step_id: str, reason: str, delay_s: float, scheduled: bool = False
    ) -> None:
        """Note a transient failure in the timeline; the step stays running until its retry.

        Its lease runs until the retry, so recovery leaves it alone meanwhile. A `scheduled`
        retry also sets `retry_at`: recovery sends it then (`claim_due_retries`).
        """
        moment = now()
        lease = moment + dt.timedelta(seconds=delay_s)
        db.session.execute(
            sa.update(Step)
            .where(Step.id == step_id, Step.status == "running")
            .values(lease_expires_at=lease, retry_at=lease if scheduled else None)
        )
        step = db.session.get(Step, step_id)
        if step is not None:
            when = {"retry_at": lease.isoformat(timespec="seconds")} if scheduled else {}
            sql.add_event(
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
                reason_code=reason,
                finished_at=now(),
            )

    def close_case(self, case_id: str, status: str) -> None:
        """Give the case its final status, once."""
        moment = now()
        if db.session.info.get("atomic") and sql.locks_rows():  # with its line: one statement
            lines, share = sql.gathered()
            params = {"lines": sql.lines_json(lines), "line_kind": "case_closed", "line_at": moment}
            if share is not None:
                params["share"] = sql.as_json(share)
            closing = sql.closing(share is not None)
            run(closing, case_id=case_id, new_status=status, now=moment, **params)
            return
        result = run(sql.CLOSE_CASE, case_id=case_id, new_status=status, now=moment)
        if result.rowcount == 1:  # type: ignore[attr-defined]
            sql.add_event(case_id, None, "case_closed", status=status)
        self._commit()

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
        values |= {"status_reason": None, "reason_code": None, "outcome": None}
        values |= {"finished_at": None}
        with self.atomic():
            case_id = self._decide(
                step_id, (Step.status == "failed",), values, "step_retried", actor
            )
            if case_id is None:
                return None
            db.session.execute(
                sa.update(Step)
                .where(
                    Step.case_id == case_id,
                    Step.status == "cancelled",
                    Step.reason_code == DEPENDENCY_FAILED,
                )
                .values(status="pending", ball="agency", reason_code=None, finished_at=None)
            )
            db.session.execute(
                sa.update(Case)
                .where(Case.id == case_id, Case.status == "done_with_problems")
                .values(status="in_progress", closed_at=None)
            )
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
        read_in_passing().forget()  # a state read before this change is no longer current
        result = db.session.execute(
            sa.update(Step).where(Step.id == step_id, *condition).values(**values)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            self._let_go()
            return None
        step = db.session.get(Step, step_id)
        assert step is not None
        sql.add_event(step.case_id, step_id, kind, agency=step.agency, actor=actor)
        self._commit()
        return step.case_id

    def _transition(
        self, step_id: str, kind: str, allowed: tuple[str, ...] = ACTIVE, **values: Any
    ) -> None:
        """Change a step that is still active, with its line in the timeline; a repeated call
        changes nothing.

        Inside an atomic block (PostgreSQL), the same statement locks the step's case for the
        settling that follows, and writes its line with those the block has gathered.
        """
        said = {"reason": values.get("status_reason"), "reference": values.get("agency_reference")}
        said["code"] = values.get("reason_code")
        detail = {name: value for name, value in said.items() if value}
        params = {f"new_{name}": value for name, value in values.items()}
        if any(isinstance(value, sa.ClauseElement) for value in values.values()):
            statement: Any = (
                sa.update(sql.STEPS)
                .where(sql.STEPS.c.id == sa.bindparam("step_id"), sql.STEPS.c.status.in_(allowed))
                .values(**values)
                .returning(sql.STEPS.c.case_id, sql.STEPS.c.agency)
            )
            params = {}
        elif db.session.info.get("atomic") and sql.locks_rows():  # the usual case
            self._transition_settling(step_id, kind, allowed, params, detail)
            return
        else:  # a prebuilt statement for this set of columns
            statement = sql.transition(allowed, tuple(sorted(values)))
        changed = run(statement, step_id=step_id, **params).one_or_none()
        if changed is not None:
            sql.add_event(changed.case_id, step_id, kind, agency=changed.agency, **detail)
        self._commit()

    def _transition_settling(
        self,
        step_id: str,
        kind: str,
        allowed: tuple[str, ...],
        params: dict[str, Any],
        detail: dict[str, Any],
    ) -> None:
        """`_transition` in an atomic block on PostgreSQL: one statement locks the case,
        changes the step, writes the timeline's lines so far with the step's own, and reads
        the case's state for the settling that follows, kept if it is current."""
        lines, share = sql.gathered()
        moment = now()  # set here: SQLAlchemy fills in no column of an UPDATE inside a WITH
        params = params | {"new_updated_at": moment}
        columns = tuple(sorted(name.removeprefix("new_") for name in params))
        statement = sql.transition_settling(allowed, columns, share is not None)
        params |= {"lines": sql.lines_json(lines), "line_kind": kind, "line_at": moment}
        params |= {"line_reason": detail.get("reason"), "line_reference": detail.get("reference")}
        params["line_code"] = detail.get("code")
        if share is not None:
            params["share"] = sql.as_json(share)
        rows = run(statement, step_id=step_id, **params).all()
        if not rows:  # the step had moved on; the case is locked all the same
            return
        case_id = rows[0].changed_case_id
        db.session.info["locked_case"] = case_id  # settling it needs no lock
        if rows[0].locked_version == rows[0].seen_version + 1:  # no one changed it meanwhile
            changed = {step_id: params["new_status"]} if "new_status" in params else {}
            read_in_passing().keep(case_id, self._state(case_id, rows, changed))

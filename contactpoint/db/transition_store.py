"""The store's helpers for changing a step: conditional, once, with its line in the timeline."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from contactpoint.db.models import Step, now
from contactpoint.db.state_store import case_state_of
from contactpoint.db.statements.connections import locks_rows, run
from contactpoint.db.statements.events import add_event, gathered
from contactpoint.db.statements.json_inserts import as_json, lines_json
from contactpoint.db.statements.read_in_passing import read_in_passing
from contactpoint.db.statements.steps import transition, transition_settling
from contactpoint.db.statements.tables import STEPS, UNDER_WAY
from contactpoint.db.transactions import Transactions
from contactpoint.extensions import db

ACTIVE = UNDER_WAY


class StepChanges(Transactions):
    """A step's conditional change with its line in the timeline, as the store's changes make it."""

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
        add_event(step.case_id, step_id, kind, agency=step.agency, actor=actor)
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
                sa.update(STEPS)
                .where(STEPS.c.id == sa.bindparam("step_id"), STEPS.c.status.in_(allowed))
                .values(**values)
                .returning(STEPS.c.case_id, STEPS.c.agency)
            )
            params = {}
        elif db.session.info.get("atomic") and locks_rows():  # the usual case
            self._transition_settling(step_id, kind, allowed, params, detail)
            return
        else:  # a prebuilt statement for this set of columns
            statement = transition(allowed, tuple(sorted(values)))
        changed = run(statement, step_id=step_id, **params).one_or_none()
        if changed is not None:
            add_event(changed.case_id, step_id, kind, agency=changed.agency, **detail)
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
        lines, share = gathered()
        moment = now()  # set here: SQLAlchemy fills in no column of an UPDATE inside a WITH
        params = params | {"new_updated_at": moment}
        columns = tuple(sorted(name.removeprefix("new_") for name in params))
        statement = transition_settling(allowed, columns, share is not None)
        params |= {"lines": lines_json(lines), "line_kind": kind, "line_at": moment}
        params |= {"line_reason": detail.get("reason"), "line_reference": detail.get("reference")}
        params["line_code"] = detail.get("code")
        if share is not None:
            params["share"] = as_json(share)
        rows = run(statement, step_id=step_id, **params).all()
        if not rows:  # the step had moved on; the case is locked all the same
            return
        case_id = rows[0].changed_case_id
        db.session.info["locked_case"] = case_id  # settling it needs no lock
        if rows[0].locked_version == rows[0].seen_version + 1:  # no one changed it meanwhile
            changed = {step_id: params["new_status"]} if "new_status" in params else {}
            read_in_passing().keep(case_id, case_state_of(case_id, rows, changed))

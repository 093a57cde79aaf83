"""The store's reading: a case's state for the engine, from its rows or read in passing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from contactpoint.db.statements.cases import CASE_STATE, LOCK_CASE
from contactpoint.db.statements.connections import locks_rows, run
from contactpoint.db.statements.read_in_passing import read_in_passing
from contactpoint.db.transactions import Transactions
from contactpoint.extensions import db
from workflows.store import CaseState, StepState


class StateReads(Transactions):
    """Reads a case's state for the workflow engine."""

    def case_state(self, case_id: str) -> CaseState | None:
        """The case and its steps (one query), or None; locked for the rest of an atomic block.

        The state a step's change read in passing, if it is current, needs no query at all.
        """
        found = read_in_passing().take(case_id)
        if found is not None:
            return cast(CaseState, found)
        info = db.session.info
        try:
            if info.get("atomic") and locks_rows() and info.get("locked_case") != case_id:
                run(LOCK_CASE, case_id=case_id)
            rows = run(CASE_STATE, case_id=case_id).all()
        finally:
            self._let_go()
        return case_state_of(case_id, rows)


def case_state_of(
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


def produced_before(steps: list[list[Any]], depends_on: list[str]) -> dict[str, Any]:
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

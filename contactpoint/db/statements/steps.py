"""Prebuilt statements of a step: claim it, win it and read its work, change it."""

from __future__ import annotations

from functools import cache
from typing import Any

import sqlalchemy as sa

from contactpoint.db.sealed_types import SealedAnswers
from contactpoint.db.statements.cases import BUMP_CASE, CASE_STATE
from contactpoint.db.statements.json_inserts import LINE_AT_KIND, with_lines
from contactpoint.db.statements.tables import (
    CASES,
    EVENTS,
    PEOPLE,
    STEPS,
    among,
    checked,
    in_open_case,
    needs_a_step_not,
)
from workflows.engine import FINISHED_STATUSES
from workflows.statuses import Ball, StepStatus


def may_begin(moment: Any, dialect_name: str) -> tuple[Any, ...]:
    """A step may begin when pending, or running with a lapsed lease, in an open case, once
    every step it needs is finished.

    The last is the engine's rule (`ready_steps`) kept by the database as well: a message for
    a step that outlived its claim (a worker's commit lost in a crash of the database, see
    *What survives a failure*) cannot send it ahead of the steps it needs.
    """
    lapsed = sa.or_(STEPS.c.lease_expires_at.is_(None), STEPS.c.lease_expires_at <= moment)
    return (
        sa.or_(
            STEPS.c.status == StepStatus.PENDING,
            sa.and_(STEPS.c.status == StepStatus.RUNNING, lapsed),
        ),
        in_open_case(),
        sa.not_(needs_a_step_not(FINISHED_STATUSES, dialect_name)),
    )


def _of_case(column: sa.Column[Any]) -> sa.ColumnElement[Any]:
    """A column of the step's case, or of its person, for an UPDATE's RETURNING: written out,
    because RETURNING renders column names bare, which a subquery's join makes ambiguous."""
    case = "SELECT {} FROM cases WHERE cases.id = steps.case_id"
    if column.table is PEOPLE:
        found = f"SELECT people.{column.name} FROM people WHERE people.id = ({case})"
        case = found.format("cases.person_id")
    else:
        case = case.format(f"cases.{column.name}")
    return sa.literal_column(f"({case})", type_=column.type).label(column.name)


# What the steps of a step's case produced, as [key, outputs, depends_on] triples, for an
# UPDATE's RETURNING (written out for the same reason as `_of_case`; JSON per dialect).
_PRODUCED = {
    "postgresql": "json_agg(json_build_array(s.key, s.outputs, s.depends_on))",
    "sqlite": "json_group_array(json_array(s.key, json(s.outputs), json(s.depends_on)))",
}


@cache
def begin_step(dialect_name: str) -> sa.Update:
    """Win a step and read its work (params: step_id, now, lease): the conditional update only
    one worker wins, returning the step, what its submission needs of its case and person,
    and what the steps of its case produced: one statement, one round trip."""
    produced = f"(SELECT {_PRODUCED[dialect_name]} FROM steps AS s WHERE s.case_id = steps.case_id)"
    return (
        sa.update(STEPS)
        .where(STEPS.c.id == sa.bindparam("step_id"), *may_begin(sa.bindparam("now"), dialect_name))
        .values(
            status=StepStatus.RUNNING,
            ball=Ball.AGENCY,
            attempts=STEPS.c.attempts + 1,
            started_at=sa.bindparam("now"),
            lease_expires_at=sa.bindparam("lease"),
            retry_at=None,
            next_attempt_at=None,
        )
        .returning(
            STEPS.c.case_id,
            STEPS.c.key,
            STEPS.c.agency,
            STEPS.c.attempts,
            STEPS.c.fields,
            STEPS.c.manual,
            STEPS.c.depends_on,
            STEPS.c.complement_answer,
            STEPS.c.dispatched_at,
            *(
                _of_case(column)
                for column in (
                    CASES.c.life_event,
                    CASES.c.answers,
                    CASES.c.on_behalf_of,
                    CASES.c.acting_basis,
                    CASES.c.person_id,
                    PEOPLE.c.personal_number,
                    PEOPLE.c.name,
                )
            ),
            sa.literal_column(produced, type_=sa.JSON).label("produced"),
        )  # fmt: skip
    )


# Claim pending, unsent steps for dispatch (params: ids, now).
CLAIM = (
    sa.update(STEPS)
    .where(
        STEPS.c.id.in_(sa.bindparam("ids", expanding=True)),
        checked(STEPS.c.status == StepStatus.PENDING, STEPS.c.dispatched_at.is_(None)),
    )
    .values(dispatched_at=sa.bindparam("now"))
    .returning(STEPS.c.id, STEPS.c.case_id)
)


@cache
def transition(allowed: tuple[str, ...], columns: tuple[str, ...]) -> Any:
    """Change a step still in one of `allowed` (params: step_id and `new_<column>` each)."""
    return (
        sa.update(STEPS)
        .where(STEPS.c.id == sa.bindparam("step_id"), among(STEPS.c.status, allowed))
        .values({name: sa.bindparam(f"new_{name}", type_=STEPS.c[name].type) for name in columns})
        .returning(STEPS.c.case_id, STEPS.c.agency)
    )


@cache
def transition_settling(
    allowed: tuple[str, ...], columns: tuple[str, ...], share: bool = False
) -> sa.Select[Any]:
    """PostgreSQL, in an atomic block: a step's change, and what its case's settling needs
    first, in one statement (params: those of `transition`, and of `with_lines`).

    It locks the step's case as `LOCK_CASE` does, changes the step, writes the timeline's
    lines, and reads the case's state as `CASE_STATE` does (each step a row, `changed_*`
    and the versions in every row). The state is as the statement's snapshot saw it,
    before its own change of the step, and is current only if no one changed the case
    between that snapshot and the lock: `locked_version` is then `seen_version` + 1.
    """
    its_case = sa.select(STEPS.c.case_id).where(STEPS.c.id == sa.bindparam("step_id"))
    locked = BUMP_CASE.where(CASES.c.id == its_case.scalar_subquery()).cte("locked_case")
    changed = (
        transition(allowed, columns)
        .where(STEPS.c.case_id.in_(sa.select(locked.c.id)))
        .cte("changed")
    )
    own = (changed.c.case_id, sa.bindparam("step_id", type_=EVENTS.c.step_id.type))
    detail = sa.func.json_strip_nulls(
        sa.func.json_build_object(
            sa.literal_column("'agency'"), changed.c.agency,
            sa.literal_column("'reason'"), sa.bindparam("line_reason", type_=SealedAnswers),
            sa.literal_column("'reference'"), sa.bindparam("line_reference", type_=sa.Text),
            sa.literal_column("'code'"), sa.bindparam("line_code", type_=sa.Text),
        )
    )  # fmt: skip
    writes = with_lines(sa.select(*own, *LINE_AT_KIND, detail).select_from(changed), share)
    return (
        sa.select(
            changed.c.case_id.label("changed_case_id"),
            changed.c.agency.label("changed_agency"),
            locked.c.version.label("locked_version"),
            CASES.c.version.label("seen_version"),
            *CASE_STATE.selected_columns,
        )
        .select_from(
            changed.join(locked, sa.true())
            .join(CASES, CASES.c.id == changed.c.case_id)
            .join(STEPS, STEPS.c.case_id == CASES.c.id)
        )
        .order_by(STEPS.c.position)
        .add_cte(*writes)
    )

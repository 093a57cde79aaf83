"""A case officer's inbox: one agency's steps by queue, filtered, sorted, a page at a time.

Every page is a fixed number of queries whatever the number of steps: one for the counts of
the queues, one for the total of the filter, one for the rows (chosen among the steps, then
joined with their cases). Each reads the index entries of the steps it is about, so the
queues of open work cost the same after years of history. The one queue of history, `all`,
is counted up to `paging.COUNTED_UP_TO` and says "more" past it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa

from contactpoint.db import paging
from contactpoint.db.models import Case, Step, now
from contactpoint.db.statements.connections import outside_transactions
from contactpoint.db.statements.tables import STEPS
from contactpoint.extensions import db
from workflows.lifeevents import catalogue
from workflows.statuses import Ball, StepStatus

DEFAULT_SERVICE_DAYS = 10
RECENT_DAYS = 30
PAGE_SIZE = 25
QUEUES = ("waiting", "overdue", "citizen", "failed", "unreachable", "decided", "all")
HISTORY = ("all",)  # the agency's every step: counted up to paging.COUNTED_UP_TO
SORTS = ("due", "oldest", "newest", "updated")
ASSIGNED = ("", "me", "unassigned")
Counts = tuple[int, ...]  # the row `_counts` reads: one count per (agency, queue) pair


def service_days(life_event: str, key: str) -> int:
    """The days the agency has to decide a step: declared in the definition, else a default."""
    event = catalogue().get(life_event)
    declared = next((s for s in event.steps if s.id == key), None) if event else None
    return (declared.service_days if declared else None) or DEFAULT_SERVICE_DAYS


def due_at(life_event: str, key: str, since: dt.datetime) -> dt.datetime:
    """When a step that reached its agency at `since` must be decided."""
    return since + dt.timedelta(days=service_days(life_event, key))


def step_due_at(step_id: str) -> dt.datetime | None:
    """The service-level deadline of a step that starts waiting for its agency now."""
    row = db.session.execute(
        sa.select(Case.life_event, Step.key)
        .join(Case, Case.id == Step.case_id)
        .where(Step.id == step_id)
    ).first()
    return due_at(row.life_event, row.key, now()) if row else None


@dataclass(frozen=True)
class InboxQuery:
    """What the officer asked to see."""

    agency: str
    queue: str = "waiting"
    life_event: str = ""
    older_than_days: int | None = None
    assigned: str = ""
    reference: str = ""
    sort: str = "due"
    page: int = 1
    per_page: int = PAGE_SIZE


@dataclass(frozen=True)
class InboxPage:
    """One page of rows, the total that matched, and the size of every queue. Those of the
    counts (`total` or a queue) named in `at_least` stopped at paging.COUNTED_UP_TO: there
    are more."""

    rows: list[Any]
    total: int
    page: int
    pages: int
    counts: dict[str, int]
    at_least: frozenset[str] = frozenset()


def queue_condition(queue: str, moment: dt.datetime) -> Any:
    """The steps of a queue."""
    waiting = sa.and_(Step.status == StepStatus.WAITING, Step.ball == Ball.AGENCY)
    return {
        "waiting": waiting,
        "overdue": sa.and_(waiting, Step.due_at < moment),
        "citizen": sa.and_(Step.status == StepStatus.WAITING, Step.ball == Ball.CITIZEN),
        "failed": sa.and_(Step.status == StepStatus.FAILED, Step.outcome.is_(None)),
        "unreachable": sa.and_(Step.status == StepStatus.RUNNING, Step.retry_at.is_not(None)),
        "decided": sa.and_(
            Step.outcome.is_not(None), Step.finished_at >= moment - dt.timedelta(days=RECENT_DAYS)
        ),
        "all": Step.status != StepStatus.NOT_NEEDED,
    }[queue]


def queue_counts(agency: str, moment: dt.datetime) -> dict[str, int]:
    """How many steps each queue holds, in one query (`_counts`), `all` up to
    paging.COUNTED_UP_TO and one more when there are more. The queues of open work (and
    recent decisions) stay cheap however long the agency's history grows."""
    counted = db.session.execute(_counts([(agency, queue) for queue in QUEUES], moment)).one()
    return dict(zip(QUEUES, cast(Counts, counted), strict=True))


BACKLOG_QUEUES = ("waiting", "overdue", "citizen", "failed", "unreachable")


def backlog(agencies: list[str], moment: dt.datetime) -> dict[str, dict[str, int]]:
    """Per agency, the steps waiting for its officers, those of them past their service level,
    the steps waiting for a citizen's answer, the steps that failed at the agency after
    every retry, and those waiting for a scheduled retry because the agency could not be
    reached, in one query (what an operator's monitoring reads at every scrape)."""
    pairs = [(agency, queue) for agency in agencies for queue in BACKLOG_QUEUES]
    with outside_transactions() as connection:
        counted = connection.execute(_counts(pairs, moment)).one()
    found: dict[str, dict[str, int]] = {agency: {} for agency in agencies}
    for (agency, queue), count in zip(pairs, cast(Counts, counted), strict=True):
        found[agency][queue] = count
    return found


def _counts(pairs: list[tuple[str, str]], moment: dt.datetime) -> sa.Select[Any]:
    """One row: how many steps each (agency, queue) holds, each a count of its own that reads
    only the index entries of that queue's steps (of a HISTORY queue, up to a bound)."""
    return sa.select(
        *(
            paging.count_up_to(
                sa.select(Step.id).where(Step.agency == agency, queue_condition(queue, moment)),
                queue in HISTORY,
            ).scalar_subquery()
            for agency, queue in pairs
        )
    )


ROW_COLUMNS = (  # a page's row: these of the step's, with its case's reference and life event
    "id", "key", "status", "ball", "outcome", "started_at", "due_at", "finished_at",
    "updated_at", "assigned_to", "case_id", "retry_at", "next_attempt_at",
)  # fmt: skip


def _order(sort: str, steps: Any = STEPS.c) -> list[Any]:
    """The page's order, on the columns of `steps` (the table's, or a subquery's)."""
    if sort == "oldest":
        order = [steps.started_at.asc().nulls_last()]
    elif sort == "newest":
        order = [steps.started_at.desc().nulls_last()]
    elif sort == "updated":
        order = [steps.updated_at.desc()]
    else:
        order = [steps.due_at.asc().nulls_last(), steps.started_at.asc().nulls_last()]
    return [*order, steps.id]


def inbox(query: InboxQuery, officer_id: str | None = None) -> InboxPage:
    """One page of the agency's steps in a queue, with their case's reference and life event.

    The page is chosen among the steps alone, and only its rows read their case: a queue of
    tens of thousands of steps costs one read of its index entries, not a join per step.
    """
    moment = now()
    where = [Step.agency == query.agency, queue_condition(query.queue, moment)]
    if query.older_than_days:
        where.append(Step.started_at <= moment - dt.timedelta(days=query.older_than_days))
    if query.assigned == "me":
        where.append(Step.assigned_to == officer_id)
    elif query.assigned == "unassigned":
        where.append(Step.assigned_to.is_(None))
    of_case = []
    if query.life_event:
        of_case.append(Case.life_event == query.life_event)
    if query.reference:
        of_case.append(Case.reference == query.reference.strip().upper())
    chosen = sa.select(*(STEPS.c[name] for name in ROW_COLUMNS)).select_from(Step)
    if of_case:  # the case is read only when the filter needs it
        chosen = chosen.join(Case, Case.id == Step.case_id)
    chosen = chosen.where(*where, *of_case)
    bounded = query.queue in HISTORY
    counted = paging.count_up_to(chosen.with_only_columns(Step.id), bounded)
    total, more = int(db.session.scalar(counted) or 0), False
    if bounded:
        total, more = paging.shown(total)
    at_least = {"total"} if more else set()
    pages = max(1, -(-total // query.per_page))
    page = min(max(query.page, 1), pages)
    rows_of_page = (
        chosen.order_by(*_order(query.sort))
        .limit(query.per_page)
        .offset((page - 1) * query.per_page)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(rows_of_page, Case.reference, Case.life_event)
        .join(Case, Case.id == rows_of_page.c.case_id)
        .order_by(*_order(query.sort, rows_of_page.c))
    ).all()
    counts = queue_counts(query.agency, moment)
    for queue in HISTORY:
        counts[queue], more = paging.shown(counts[queue])
        at_least |= {queue} if more else set()
    return InboxPage(list(rows), total, page, pages, counts, frozenset(at_least))


def agency_step(agency: str, step_id: str) -> Step | None:
    """One of the agency's steps; another agency's step is None, like a missing one."""
    return db.session.scalar(sa.select(Step).where(Step.id == step_id, Step.agency == agency))

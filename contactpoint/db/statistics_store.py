"""The statistics roll-up's reads of one month and its release (`workflows.statistics`), and the
one-statement read of what is published."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from typing import Any

import sqlalchemy as sa

from agencies.catalogue import AGENCIES
from contactpoint.db.models import Feedback, StatisticsFigure, StatisticsRelease, utc
from contactpoint.db.statements.connections import run_alone
from contactpoint.db.statements.tables import CASES, STEPS, among
from contactpoint.extensions import db
from workflows.statistics.figures import Figure, FigureKey, LifeEventMonth
from workflows.statistics.release import Release, Released
from workflows.statuses import StepStatus

FEEDBACK: sa.Table = Feedback.__table__
RELEASES: sa.Table = StatisticsRelease.__table__
FIGURES: sa.Table = StatisticsFigure.__table__

START: sa.BindParameter[dt.datetime] = sa.bindparam("start")
END: sa.BindParameter[dt.datetime] = sa.bindparam("end")
SUBMITTED = (
    sa.select(CASES.c.life_event, sa.func.count())
    .where(CASES.c.created_at >= START, CASES.c.created_at < END)
    .group_by(CASES.c.life_event)
)
CLOSED = (
    sa.select(CASES.c.life_event, CASES.c.status, sa.func.count())
    .where(CASES.c.closed_at >= START, CASES.c.closed_at < END)
    .group_by(CASES.c.life_event, CASES.c.status)
)
FEEDBACK_GIVEN = sa.select(FEEDBACK.c.life_event, FEEDBACK.c.ease).where(
    FEEDBACK.c.at >= START, FEEDBACK.c.at < END
)
ENDED = (StepStatus.DONE, StepStatus.FAILED)
# Through the index on (agency, finished_at): each agency's steps that ended in the month.
STEPS_ENDED = (
    sa.select(
        CASES.c.life_event,
        CASES.c.created_at,
        STEPS.c.case_id,
        STEPS.c.key,
        STEPS.c.agency,
        STEPS.c.status,
        STEPS.c.attempts,
        STEPS.c.finished_at,
        # A person took part: an officer or the agency decided it, or the citizen was asked.
        sa.or_(
            STEPS.c.manual,
            STEPS.c.outcome.is_not(None),
            STEPS.c.complement_question.is_not(None),
        ).label("by_a_person"),
    )
    .join(CASES, CASES.c.id == STEPS.c.case_id)
    .where(
        STEPS.c.agency.in_(sa.bindparam("agencies", expanding=True)),
        STEPS.c.finished_at >= START,
        STEPS.c.finished_at < END,
        among(STEPS.c.status, ENDED),
    )
)
# What is published: the latest release's document (or CSV), plain or gzipped, in one statement.
LATEST = {
    column: sa.select(RELEASES.c.id, RELEASES.c.released_at, RELEASES.c[column])
    .order_by(RELEASES.c.id.desc())
    .limit(1)
    for column in ("document", "csv", "document_gzip", "csv_gzip")
}


class StatisticsSql:
    """`workflows.statistics.StatisticsStore` over the contact point's database."""

    def first_activity(self) -> dt.datetime | None:
        """When the earliest case held was submitted."""
        try:
            return utc(db.session.scalar(sa.select(sa.func.min(CASES.c.created_at))))
        finally:
            db.session.rollback()

    def released_figures(self) -> dict[FigureKey, Released]:
        """Every figure released so far."""
        try:
            rows = db.session.execute(sa.select(FIGURES)).all()
        finally:
            db.session.rollback()
        return {
            FigureKey(row.life_event, row.period, row.measure, row.step, row.agency): Released(
                Figure(row.value, row.base), row.hidden
            )
            for row in rows
        }

    def month_data(self, start: dt.datetime, end: dt.datetime) -> dict[str, LifeEventMonth]:
        """What happened to each life event's cases in [start, end), counted in the database
        (cases, closings) or from the month's ended steps and feedback (read in one pass)."""
        months: dict[str, LifeEventMonth] = {}
        bounds = {"start": start, "end": end}
        try:
            for row in db.session.execute(SUBMITTED, bounds):
                months.setdefault(row[0], LifeEventMonth()).submitted = int(row[1])
            for row in db.session.execute(CLOSED, bounds):
                months.setdefault(row[0], LifeEventMonth()).closed[row[1]] = int(row[2])
            for row in db.session.execute(FEEDBACK_GIVEN, bounds):
                months.setdefault(row[0], LifeEventMonth()).ease.append(int(row[1]))
            steps = db.session.execute(STEPS_ENDED, bounds | {"agencies": sorted(AGENCIES)})
            _count_steps(months, steps)
        finally:
            db.session.rollback()
        return months

    def save_release(self, release: Release) -> None:
        """The release and its new figures, in one transaction."""
        try:
            document = json.dumps(release.document, ensure_ascii=False, separators=(",", ":"))
            release_id: int = db.session.execute(
                sa.insert(RELEASES).returning(RELEASES.c.id),
                {
                    "released_at": release.released_at,
                    "periods": release.periods,
                    "document": document,
                    "csv": release.csv,
                    "document_gzip": gzip.compress(document.encode(), mtime=0),
                    "csv_gzip": gzip.compress(release.csv.encode(), mtime=0),
                },
            ).scalar_one()
            rows = [
                {
                    "life_event": key.life_event,
                    "period": key.period,
                    "measure": key.measure,
                    "step": key.step,
                    "agency": key.agency,
                    "value": released.figure.value,
                    "base": released.figure.base,
                    "hidden": released.hidden,
                    "release_id": release_id,
                }
                for key, released in release.figures.items()
            ]
            if rows:
                db.session.execute(sa.insert(FIGURES), rows)
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise


def _count_steps(months: dict[str, LifeEventMonth], rows: Any) -> None:
    """Add the month's ended steps to their life events' counts."""
    cases: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        month = months.setdefault(row.life_event, LifeEventMonth())
        if row.status == StepStatus.DONE:
            month.steps_done += 1
            cases.setdefault((row.life_event, "done"), set()).add(row.case_id)
            month.steps_automated += 0 if row.by_a_person else 1
            seconds = (utc(row.finished_at) - utc(row.created_at)).total_seconds()  # type: ignore[operator]
            month.durations.setdefault((row.key, row.agency), []).append(max(seconds, 0.0))
        else:
            month.steps_failed += 1
            cases.setdefault((row.life_event, "failed"), set()).add(row.case_id)
        if row.attempts > 1:
            month.steps_retried += 1
            cases.setdefault((row.life_event, "retried"), set()).add(row.case_id)
    for (life_event, kind), ids in cases.items():
        setattr(months[life_event], f"steps_{kind}_cases", len(ids))


def published(column: str) -> tuple[int, dt.datetime, Any] | None:
    """The latest release's id, time and `column` ("document" or "csv", text, or either with
    "_gzip", bytes): one statement."""
    rows: list[Any] = run_alone(LATEST[column])
    return (rows[0].id, rows[0].released_at, rows[0][2]) if rows else None

"""The benchmark's population is counted by the roll-up as real cases are, and the statistics
read stays one SQL statement before and after a year of months is released."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa

from agencies import clock
from contactpoint.bench.population import generate
from contactpoint.bench.reads import release_statistics
from contactpoint.db.models import Case, StatisticsFigure
from contactpoint.extensions import db
from tests.conftest import prepared_app
from workflows import runtime
from workflows.statistics import month_bounds, month_of


def test_the_population_is_released_month_by_month_and_read_in_one_statement(
    tmp_path: Path, redis_server: object
) -> None:
    previous = runtime._current
    database = f"sqlite:///{tmp_path / 'population.db'}"
    redis_url = f"redis://127.0.0.1:{redis_server.port}/11"  # type: ignore[attr-defined]
    try:
        with prepared_app(database, redis_url, f"sqlite:///{tmp_path / 'sandbox.db'}") as app:
            with app.app_context():
                generate(400, people=80, show=False)
            figures = release_statistics(app)
            assert figures["queries_per_statistics_read"] == 1
            assert figures["statistics_queries_constant"] is True
            assert figures["statistics_months_released"] >= 10  # a year of cases, less this month
            with app.app_context():
                running = month_bounds(month_of(clock.now()))[0]
                sent_before = db.session.scalar(
                    sa.select(sa.func.count()).where(Case.created_at < running)
                )
                counted = db.session.scalar(
                    sa.select(sa.func.sum(StatisticsFigure.value)).where(
                        StatisticsFigure.life_event == "moving",
                        StatisticsFigure.measure == "submitted",
                        sa.func.length(StatisticsFigure.period) == 7,
                    )
                )
                assert counted == sent_before > 300
                median = db.session.scalar(
                    sa.select(sa.func.max(StatisticsFigure.value)).where(
                        StatisticsFigure.measure == "median_seconds"
                    )
                )
                assert median and median > dt.timedelta(minutes=1).total_seconds()
                db.session.remove()
    finally:
        runtime._current = previous

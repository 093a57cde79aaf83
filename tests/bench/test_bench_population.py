"""The benchmark's synthetic population: the database is left as a running server has it."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from contactpoint.bench.reads import settle_bulk_write
from contactpoint.extensions import db


def test_after_the_bulk_write_the_planner_knows_the_tables_and_nothing_is_left_to_clean(
    app: Flask,
) -> None:
    with app.app_context():
        settle_bulk_write()
        with db.engine.connect() as connection:
            if db.engine.dialect.name == "postgresql":  # vacuumed now, not while measuring
                done = connection.execute(
                    sa.text(
                        "SELECT last_vacuum IS NOT NULL AND last_analyze IS NOT NULL"
                        " FROM pg_stat_user_tables WHERE relname = 'steps'"
                    )
                ).scalar()
                assert done
            else:  # the planner's statistics gathered
                stats = connection.execute(sa.text("SELECT count(*) FROM sqlite_stat1")).scalar()
                assert stats

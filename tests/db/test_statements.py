"""The hot path's prebuilt statements are rendered once, not at every execution."""

from __future__ import annotations

import pytest
from sqlalchemy.dialects import postgresql, sqlite

from contactpoint.db import statements as sql
from contactpoint.db.transition_store import ACTIVE


@pytest.mark.parametrize("dialect", [postgresql.dialect(), sqlite.dialect()], ids=["pg", "sqlite"])
def test_a_steps_statements_bind_no_list_that_is_rendered_per_execution(dialect: object) -> None:
    hot = [
        sql.begin_step(dialect.name),  # type: ignore[attr-defined]
        sql.transition(("running",), ("status",)),
        sql.transition_settling(ACTIVE, ("ball", "status", "updated_at"), share=True),
        sql.closing(),
        sql.CLOSE_CASE,
    ]
    for statement in hot:
        rendered = str(statement.compile(dialect=dialect))  # type: ignore[arg-type]
        assert "POSTCOMPILE" not in rendered
    closing = str(sql.CLOSE_CASE.compile(dialect=dialect))  # type: ignore[arg-type]
    assert "status IN ('received', 'in_progress')" in closing


def test_only_the_codes_own_statuses_are_written_into_the_sql() -> None:
    with pytest.raises(ValueError, match="not a status"):
        sql.among(sql.STEPS.c.status, ("done'; DROP TABLE steps; --",))

"""Which database errors mean "try again shortly" (503, a task put off), and what of one a log
may say."""

from __future__ import annotations

import sqlalchemy as sa

from contactpoint.extensions import database_error_line, database_unavailable
from contactpoint.platform.celery_app import database_backoff_s

STATEMENT = "UPDATE people SET name = %(name)s WHERE personal_number = %(number)s"
PARAMETERS = {"name": "Anna Andersson", "number": "198503122387"}


def test_an_unreachable_busy_or_lost_database_is_unavailable_and_a_broken_request_is_not() -> None:
    refused = sa.exc.OperationalError(STATEMENT, PARAMETERS, Exception("connection refused"))
    pool_full = sa.exc.TimeoutError("QueuePool limit of size 5 overflow 10 reached")
    lost = sa.exc.InterfaceError(STATEMENT, PARAMETERS, Exception("closed"))
    lost.connection_invalidated = True
    assert database_unavailable(refused) and database_unavailable(pool_full)
    assert database_unavailable(lost)
    duplicate = sa.exc.IntegrityError(STATEMENT, PARAMETERS, Exception("duplicate key"))
    closed_by_the_code = sa.exc.InterfaceError(STATEMENT, PARAMETERS, Exception("closed"))
    assert not database_unavailable(duplicate)  # a fault of the request or the code: a 500
    assert not database_unavailable(closed_by_the_code)
    assert not database_unavailable(ValueError("not a database error"))


def test_the_log_line_is_the_drivers_first_line_never_the_statement_or_its_parameters() -> None:
    cause = Exception('connection failed: server at "db" refused\nDETAIL: more\n')
    line = database_error_line(sa.exc.OperationalError(STATEMENT, PARAMETERS, cause))
    assert line == 'connection failed: server at "db" refused'
    assert database_error_line(sa.exc.TimeoutError("pool full")) == "pool full"
    assert database_error_line(sa.exc.OperationalError(STATEMENT, PARAMETERS, Exception())) == (
        "Exception"
    )


def test_a_task_put_off_by_the_database_waits_longer_each_time_up_to_half_a_minute() -> None:
    assert [database_backoff_s(n) for n in range(7)] == [2, 4, 8, 16, 30, 30, 30]

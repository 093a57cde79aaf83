"""PostgreSQL out of reach while steps wait in the broker: a real worker that takes them puts
each off and tries it again once the database is back, instead of dropping the message and
leaving the step to recovery's timeouts (ten minutes by default; and no beat runs here). No
step reaches its agency twice."""

from __future__ import annotations

from typing import Any

import pytest

from contactpoint.extensions import dispose_engines
from tests.conftest import set_connections, wait_until

from .conftest import assert_every_step_ended_once, submit_cases, wait_for_all_finished

pytestmark = pytest.mark.slow


def test_steps_met_by_a_database_out_of_reach_go_on_once_it_is_back(
    own_postgres: str, cluster_factory: Any
) -> None:
    cluster = cluster_factory(
        DATABASE_URL=own_postgres,
        CONTACTPOINT_STEP_TIMEOUT_S="600",
        CONTACTPOINT_DISPATCH_TIMEOUT_S="600",
    )
    case_ids = submit_cases(cluster.client(), 3)  # their first steps wait: no worker yet

    set_connections(own_postgres, allowed=False)
    cluster.start_worker("outage", concurrency=2)  # starts with the database out of reach
    control = cluster.app.extensions["celery"].control

    def put_off() -> bool:  # the worker holds a step to try again later
        scheduled = control.inspect(timeout=0.5).scheduled() or {}
        names = [entry["request"]["name"] for entries in scheduled.values() for entry in entries]
        return "workflows.run_step" in names

    wait_until(put_off, timeout_s=60, interval_s=0.2)
    set_connections(own_postgres, allowed=True)
    with cluster.app.app_context():
        dispose_engines()  # this process's own connections ended with the outage

    wait_for_all_finished(cluster, case_ids, timeout_s=90)
    assert_every_step_ended_once(cluster, case_ids)


def test_a_periodic_pass_that_meets_the_outage_is_skipped_in_one_line(
    own_postgres: str, cluster_factory: Any, capfd: pytest.CaptureFixture[str]
) -> None:
    """The recovery pass comes every second here: each that meets the outage says so in one
    warning line, not a stack trace; once the database is back the worker goes on serving."""
    cluster = cluster_factory(DATABASE_URL=own_postgres)
    set_connections(own_postgres, allowed=False)
    cluster.start_worker("outage", concurrency=1)
    cluster.start_beat()
    said: list[str] = []

    def skipped_twice() -> bool:  # what the worker process writes, read as it comes
        captured = capfd.readouterr()
        said.append(captured.out + captured.err)
        return "".join(said).count("workflows.recover skipped: the database cannot answer") >= 2

    wait_until(skipped_twice, timeout_s=60, interval_s=0.5)
    log = "".join(said)
    assert "Traceback" not in log and "raised unexpected" not in log

    set_connections(own_postgres, allowed=True)
    with cluster.app.app_context():
        dispose_engines()  # this process's own connections ended with the outage
    case_ids = submit_cases(cluster.client(), 2)  # and the worker goes on serving
    wait_for_all_finished(cluster, case_ids, timeout_s=60)

"""The drill: flaky is not down.

Twenty moving cases sent through the API while every agency fails 30 % of calls and times out
10 % (after taking the submission), 300 ms slow, and one worker process is killed midway
(SIGKILL) and started again. An agency this flaky opens its breaker now and then; the attempts
skipped while it is open must not use up a step's quick attempts and send it to the schedule
for an outage, five to ten minutes away. Real worker processes, beat and Redis; the test waits
on every case ending, with a deadline, never on a fixed sleep.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import sqlalchemy as sa

from contactpoint.cli import main
from contactpoint.db.models import Case, CaseEvent, Step
from tests.conftest import wait_until

from .conftest import Cluster, assert_every_step_ended_once, submit_cases, wait_for_all_finished

pytestmark = pytest.mark.slow

CASES = 20
DRILL = {
    "CONTACTPOINT_AGENCY_LATENCY_MS": "300",
    "CONTACTPOINT_AGENCY_FAILURE_RATE": "0.3",
    "CONTACTPOINT_AGENCY_TIMEOUT_RATE": "0.1",
    # Quick retries as in production. A breaker opens after three failures in a row rather
    # than five: with four worker processes, each with its own breakers, five in a row
    # happen in about one drill in two, three in a row in every drill, as they did in the one
    # measured. It leaves an agency alone 10 s rather than 30, to keep the drill short.
    "CONTACTPOINT_RETRY_BASE_DELAY_S": "1",
    "CONTACTPOINT_BREAKER_FAILURES": "3",
    "CONTACTPOINT_BREAKER_RESET_S": "10",
    # A step whose six attempts all really fail (one in 400 at these rates: about one drill in
    # five) goes on to the schedule for an outage, as in production, but 10 to 20 s away
    # rather than 5 to 10 minutes, and for an hour rather than a day.
    "CONTACTPOINT_RETRY_OUTAGE_EVERY_S": "20",
    "CONTACTPOINT_RETRY_OUTAGE_FOR_S": "3600",
}
SKIPPED = "is not tried"  # the reason of an attempt an open breaker skipped
DOWN = "its trials since failed too"  # the agency counted as down: a skip counts then


def _steps(cluster: Cluster, case_ids: list[str], status: str) -> int:
    rows = cluster.query(
        sa.select(Step.id).where(Step.case_id.in_(case_ids), Step.status == status)
    )
    return len(rows)


def _lines(cluster: Cluster, case_ids: list[str]) -> list[tuple[str, str, dict[str, Any]]]:
    """Every case's lines of a retry or a recovery, (kind, step id, detail) each, in order."""
    rows = cluster.query(
        sa.select(CaseEvent.kind, CaseEvent.step_id, CaseEvent.detail)
        .where(
            CaseEvent.case_id.in_(case_ids),
            CaseEvent.kind.in_(("step_retry", "step_recovered")),
        )
        .order_by(CaseEvent.id)
    )
    return [(kind, step_id, dict(detail or {})) for kind, step_id, detail in rows]


def test_a_flaky_agency_is_not_down_every_case_ends_within_minutes_each_step_received_once(
    cluster_factory: Any,
) -> None:
    began = time.monotonic()
    cluster = cluster_factory(**DRILL)
    cluster.start_beat()
    cluster.start_worker("steady", concurrency=2)
    cluster.start_worker("doomed", concurrency=2)
    case_ids = submit_cases(cluster.client(), CASES)
    doomed = cluster.workers["doomed"][0]

    # Midway: some steps done, others with their agencies.
    wait_until(lambda: _steps(cluster, case_ids, "done") >= CASES, timeout_s=120, interval_s=0.1)
    cluster.kill(doomed)  # SIGKILL, the whole worker: what it held is lost with it
    cluster.start_worker("doomed", concurrency=2)  # its supervisor starts it again

    wait_for_all_finished(cluster, case_ids, timeout_s=240)
    elapsed = time.monotonic() - began
    statuses = cluster.query(sa.select(Case.status).where(Case.id.in_(case_ids)))
    assert {row.status for row in statuses} == {"done"}  # nothing failed, nothing was lost
    assert_every_step_ended_once(cluster, case_ids)  # each done once, held once

    # An attempt the open breaker skipped was not one of the step's attempts: its line says
    # so, and carries the step's count as it was; only an agency down counts them.
    lines = _lines(cluster, case_ids)
    last_attempt: dict[str, int] = {}  # the step's count of attempts, as its last line said
    skipped = 0
    for kind, step_id, detail in lines:
        reason = detail.get("reason", "")
        if kind == "step_retry" and SKIPPED in reason and DOWN not in reason:
            skipped += 1
            assert detail.get("counted") is False, detail
            assert detail["attempt"] == last_attempt.get(step_id, 0), detail
            assert detail.get("retry_at"), detail  # and when the step is tried again
        last_attempt[step_id] = detail["attempt"]

    # What the agencies hold, as `contactpoint sandbox ledger --json` prints it: one entry per
    # step, under the step's id as idempotency key; received once, and once more for each
    # attempt that timed out after the agency took it, and at most once more for each attempt
    # the killed worker lost.
    printed = cluster.app.test_cli_runner().invoke(main, ["sandbox", "ledger", "--json"])
    assert printed.exit_code == 0, printed.output
    ledger = [entry for entry in json.loads(printed.output) if entry["case_id"] in case_ids]
    steps = cluster.query(sa.select(Step.id, Step.status).where(Step.case_id.in_(case_ids)))
    assert sorted(entry["idempotency_key"] for entry in ledger) == sorted(
        step_id for step_id, status in steps if status == "done"
    )
    timeouts: dict[str, int] = {}
    lost: dict[str, int] = {}
    for kind, step_id, detail in lines:
        if kind == "step_recovered":
            lost[step_id] = lost.get(step_id, 0) + 1
        elif "did not answer in time" in detail.get("reason", ""):
            timeouts[step_id] = timeouts.get(step_id, 0) + 1
    for entry in ledger:
        step_id = entry["step_id"]
        least = 1 + timeouts.get(step_id, 0)
        assert least <= entry["times_received"] <= least + lost.get(step_id, 0), (entry, least)
    assert sum(timeouts.values()) > 0  # the drill did make agencies time out
    print(
        f"flaky agencies: {elapsed:.1f}s, {len(lines)} retries and recoveries, {skipped}"
        f" attempts skipped by an open breaker and not counted, {sum(lost.values())} lost"
    )

"""An agency's system down longer than the retries last, then back: the operator (one
command) or the agency's own system (the API) sends its failed steps again, and the cases
finish. Real worker processes and Redis."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa

from contactpoint.cli import main
from contactpoint.db.models import AuditEntry, Case, Step

from .conftest import Cluster, assert_every_step_ended_once, submit_cases, wait_for_all_finished

pytestmark = pytest.mark.slow


def failed_by_agency(cluster: Cluster, case_ids: list[str]) -> dict[str, int]:
    rows = cluster.query(
        sa.select(Step.agency, sa.func.count())
        .where(Step.case_id.in_(case_ids), Step.status == "failed", Step.outcome.is_(None))
        .group_by(Step.agency)
    )
    return dict(rows)  # type: ignore[arg-type]


def test_the_failed_steps_of_an_agency_that_came_back_are_sent_again_with_one_command(
    cluster_factory: Any,
) -> None:
    cluster = cluster_factory(  # every agency down; its steps fail after the quick retries
        CONTACTPOINT_AGENCY_FAILURE_RATE="1", CONTACTPOINT_RETRY_OUTAGE_FOR_S="0"
    )
    outage = cluster.start_worker("outage", concurrency=2)
    case_ids = submit_cases(cluster.client(), 3)
    wait_for_all_finished(cluster, case_ids, timeout_s=120)  # every attempt spent: failed
    assert failed_by_agency(cluster, case_ids) == {"skatteverket": 3}  # the rest wait on it
    assert failed_gauge(cluster) == 3.0  # what an operator's alert reads
    cluster.kill(outage)
    cluster.env["CONTACTPOINT_AGENCY_FAILURE_RATE"] = "0"  # the agencies are back
    after = cluster.start_worker("after", concurrency=2)
    runner = cluster.app.test_cli_runner()

    def command(*args: str) -> str:
        done = runner.invoke(main, ["retry-failed", *args])
        assert done.exit_code == 0, done.output
        return done.output.strip()

    assert command("--agency", "skatteverket", "--dry-run") == (
        "skatteverket: 3 failed steps would be sent again"
    )
    assert command("--agency", "kommun_0380") == "No failed step to send again."  # not its steps
    assert command("--since", "2999-01-01", "--dry-run") == "No failed step to send again."
    unknown = runner.invoke(main, ["retry-failed", "--agency", "skatteverk"])
    assert unknown.exit_code != 0 and "no agency skatteverk" in unknown.output
    assert failed_by_agency(cluster, case_ids) == {"skatteverket": 3}  # nothing sent yet

    assert command("--agency", "skatteverket") == "skatteverket: 3 failed steps sent again"

    wait_for_all_finished(cluster, case_ids, timeout_s=120)
    statuses = cluster.query(sa.select(Case.status).where(Case.id.in_(case_ids)))
    assert {row.status for row in statuses} == {"done"}  # the steps waiting on it went too
    assert_every_step_ended_once(cluster, case_ids)
    retried = cluster.query(
        sa.select(AuditEntry.step_id).where(
            AuditEntry.action == "retried", AuditEntry.actor == "operator"
        )
    )
    assert len(retried) == 3  # each in the audit trail, by the operator
    assert command() == "No failed step to send again."
    assert failed_gauge(cluster) == 0.0

    # Down again; this time the agency's own system sends its failed steps again, by the API.
    cluster.kill(after)
    cluster.env["CONTACTPOINT_AGENCY_FAILURE_RATE"] = "1"
    outage = cluster.start_worker("outage-again", concurrency=2)
    client = cluster.client()
    more = submit_cases(client, 2)
    wait_for_all_finished(cluster, more, timeout_s=120)
    assert failed_by_agency(cluster, more) == {"skatteverket": 2}
    cluster.kill(outage)
    cluster.env["CONTACTPOINT_AGENCY_FAILURE_RATE"] = "0"
    cluster.start_worker("back-again", concurrency=2)
    path, own = "/api/v1/agencies/skatteverket/retry-failed", agency_token(client, "skatteverket")

    counted = client.post(path, json={"dry_run": True}, headers=own)
    assert counted.json == {"steps": 2, "remaining": 0, "scheduled": 0, "dry_run": True}
    counted = client.post(path, json={"dry_run": True, "limit": 1}, headers=own)
    assert counted.json == {"steps": 1, "remaining": 1, "scheduled": 0, "dry_run": True}
    assert client.post(path, json={}, headers=agency_token(client, "csn")).status_code == 404
    too_many = client.post(path, json={"limit": 5000}, headers=own)
    assert too_many.status_code == 422 and "limit" in too_many.json["errors"]["json"]
    for left in (1, 0):  # a call at a time, the longest failed first, until none is left
        sent = client.post(path, json={"limit": 1}, headers=own)
        assert sent.json == {"steps": 1, "remaining": left, "scheduled": 0, "dry_run": False}

    wait_for_all_finished(cluster, more, timeout_s=120)
    statuses = cluster.query(sa.select(Case.status).where(Case.id.in_(more)))
    assert {row.status for row in statuses} == {"done"}
    by_system = cluster.query(
        sa.select(AuditEntry.step_id).where(
            AuditEntry.action == "retried", AuditEntry.actor == "agency:skatteverket"
        )
    )
    assert len(by_system) == 2


def failed_gauge(cluster: Cluster) -> float:
    text = cluster.client().get("/metrics").get_data(as_text=True)
    found = re.search(r'^contactpoint_steps_failed{agency="skatteverket"} (\S+)$', text, re.M)
    assert found, "the failed steps' gauge"
    return float(found.group(1))


def agency_token(client: Any, agency: str) -> dict[str, str]:
    response = client.post("/api/v1/dev/agency/token", json={"agency": agency})
    return {"Authorization": f"Bearer {response.json['access_token']}"}

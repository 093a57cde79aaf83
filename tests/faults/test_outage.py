"""An agency's system down longer than the quick retries, back within the scheduled ones:
its steps wait in the database, recovery sends them again on schedule, and the cases finish
with no one sending anything again. Real worker processes, beat and Redis."""

from __future__ import annotations

import re
from typing import Any

import pytest
import redis
import sqlalchemy as sa

from contactpoint.cli import main
from contactpoint.db.models import Case, CaseEvent, Step
from contactpoint.platform.breaker_board import PREFIX
from contactpoint.platform.embedded import stop_process
from tests.conftest import ANNA, token_for, wait_until
from tests.helpers.pages import login

from .conftest import Cluster, assert_every_step_ended_once, submit_cases, wait_for_all_finished
from .test_citizen_actions import _csrf
from .test_retry_failed import agency_token

pytestmark = pytest.mark.slow

QUICK = 6  # an agency's quick attempts (`RetryPolicy.attempts_for`) before scheduled ones


def waiting_for_retry(cluster: Cluster, case_ids: list[str]) -> list[Any]:
    return cluster.query(
        sa.select(Step.id, Step.attempts).where(
            Step.case_id.in_(case_ids), Step.status == "running", Step.retry_at.is_not(None)
        )
    )


def scheduled_gauge(cluster: Cluster) -> float:
    text = cluster.client().get("/metrics").get_data(as_text=True)
    pattern = r'^contactpoint_steps_retry_scheduled{agency="skatteverket"} (\S+)$'
    found = re.search(pattern, text, re.M)
    assert found, "the scheduled retries' gauge"
    return float(found.group(1))


def test_an_outage_longer_than_the_quick_retries_is_ridden_out_on_schedule(
    cluster_factory: Any,
) -> None:
    cluster = cluster_factory(
        CONTACTPOINT_AGENCY_FAILURE_RATE="1",  # every agency down
        CONTACTPOINT_RETRY_OUTAGE_EVERY_S="2",
        CONTACTPOINT_RETRY_OUTAGE_FOR_S="600",
    )
    cluster.start_beat()
    outage = cluster.start_worker("outage", concurrency=2)
    client = cluster.client()
    case_ids = submit_cases(client, 3)

    # The quick attempts spent, each first step waits in the database, not in the broker.
    wait_until(lambda: len(waiting_for_retry(cluster, case_ids)) == 3, timeout_s=120)
    # What an operator's alert reads (a step being tried again just then is not waiting).
    wait_until(lambda: scheduled_gauge(cluster) == 3.0, timeout_s=30)
    # Recovery sends them on schedule, again and again, while the agency stays down.
    wait_until(
        lambda: all(row.attempts >= QUICK + 2 for row in waiting_for_retry(cluster, case_ids)),
        timeout_s=120,
    )
    failed = cluster.query(sa.select(Step.id).where(Step.status == "failed"))
    assert failed == []  # nothing gave up
    reasons = cluster.query(
        sa.select(CaseEvent.detail).where(
            CaseEvent.case_id.in_(case_ids), CaseEvent.kind == "step_retry"
        )
    )
    skipped = [detail for (detail,) in reasons if "is not tried" in detail["reason"]]
    assert skipped, "after failures in a row, attempts were not sent to the agency at all"
    shared = redis.Redis.from_url(cluster.redis.url)  # and the worker told the others, if any
    wait_until(lambda: shared.exists(PREFIX + "skatteverket"), timeout_s=60)
    shared.close()
    headers = token_for(client)
    timeline = client.get(f"/api/v1/cases/{case_ids[0]}", headers=headers).json["timeline"]
    scheduled = [e for e in timeline if e["kind"] == "step_retry" and "retry_at" in e["detail"]]
    assert scheduled, "the citizen's timeline says when the next attempt is"

    # The agency is back. (The simulated agencies read their failure rate when the worker
    # starts, so it starts again; a warm shutdown loses nothing: no step is recovered.)
    stop_process(outage)
    cluster.env["CONTACTPOINT_AGENCY_FAILURE_RATE"] = "0"
    cluster.start_worker("after", concurrency=2)
    wait_for_all_finished(cluster, case_ids, timeout_s=120)
    statuses = cluster.query(sa.select(Case.status).where(Case.id.in_(case_ids)))
    assert {row.status for row in statuses} == {"done"}
    counts = assert_every_step_ended_once(cluster, case_ids)  # each done once, held once
    assert counts.get("step_recovered", 0) == 0  # sent on schedule, not as lost work
    assert scheduled_gauge(cluster) == 0.0


def test_once_the_agency_is_back_its_steps_waiting_for_a_retry_are_sent_at_once(
    cluster_factory: Any,
) -> None:
    cluster = cluster_factory(
        CONTACTPOINT_AGENCY_FAILURE_RATE="1",
        CONTACTPOINT_RETRY_OUTAGE_EVERY_S="3600",  # the next attempt is half an hour away
    )
    cluster.start_beat()
    outage = cluster.start_worker("outage", concurrency=2)
    client = cluster.client()
    case_ids = submit_cases(client, 3)
    wait_until(lambda: len(waiting_for_retry(cluster, case_ids)) == 3, timeout_s=120)
    stop_process(outage)
    cluster.env["CONTACTPOINT_AGENCY_FAILURE_RATE"] = "0"  # back
    cluster.start_worker("after", concurrency=2)

    path = "/api/v1/agencies/skatteverket/retry-failed"
    own = agency_token(client, "skatteverket")
    counted = client.post(path, json={"dry_run": True}, headers=own)
    assert counted.json == {"steps": 0, "remaining": 0, "scheduled": 3, "dry_run": True}
    other = client.post(path, json={"dry_run": True}, headers=agency_token(client, "csn"))
    assert other.status_code == 404
    assert len(waiting_for_retry(cluster, case_ids)) == 3  # a dry run sends nothing

    done = cluster.app.test_cli_runner().invoke(main, ["retry-failed", "--agency", "skatteverket"])
    assert done.exit_code == 0, done.output
    assert done.output.strip() == "skatteverket: 3 steps waiting for a scheduled retry sent now"
    wait_for_all_finished(cluster, case_ids, timeout_s=60)  # long before their next attempt
    statuses = cluster.query(sa.select(Case.status).where(Case.id.in_(case_ids)))
    assert {row.status for row in statuses} == {"done"}
    assert_every_step_ended_once(cluster, case_ids)


def test_one_agency_down_holds_back_only_its_own_steps(cluster_factory: Any) -> None:
    cluster = cluster_factory(
        CONTACTPOINT_AGENCY_KOMMUN_0380_FAILURE_RATE="1",  # the municipality's system is down
        CONTACTPOINT_RETRY_OUTAGE_EVERY_S="2",
        CONTACTPOINT_RETRY_OUTAGE_FOR_S="600",
    )
    cluster.start_beat()
    outage = cluster.start_worker("outage", concurrency=2)
    case_ids = submit_cases(cluster.client(), 3)

    def by_agency() -> dict[str, set[str]]:
        rows = cluster.query(
            sa.select(Step.agency, Step.status, Step.retry_at).where(Step.case_id.in_(case_ids))
        )
        found: dict[str, set[str]] = {}
        for agency, status, retry_at in rows:
            found.setdefault(agency, set()).add("scheduled" if retry_at else status)
        return found

    def held_back() -> bool:
        found = by_agency()
        others = {
            status
            for agency, statuses in found.items()
            if agency != "kommun_0380"
            for status in statuses
        }
        return found.get("kommun_0380") == {"scheduled"} and others <= {
            "done",
            "waiting",
            "not_needed",
        }

    wait_until(held_back, timeout_s=120)  # everyone else's part went through meanwhile
    statuses = cluster.query(sa.select(Case.status).where(Case.id.in_(case_ids)))
    assert {row.status for row in statuses} == {"in_progress"}
    reasons = cluster.query(
        sa.select(Step.agency, CaseEvent.detail)
        .join(Step, Step.id == CaseEvent.step_id)
        .where(CaseEvent.case_id.in_(case_ids), CaseEvent.kind == "step_retry")
    )
    assert {agency for agency, _detail in reasons} == {"kommun_0380"}
    assert any("kommun_0380 is not tried" in detail["reason"] for _agency, detail in reasons)

    # The citizen withdraws one case meanwhile: the municipality cannot be told yet, so the
    # withdrawal waits for its scheduled retry too.
    withdrawn, going_on = case_ids[0], case_ids[1:]
    client = cluster.client()
    login(client, ANNA)  # through the simulated eID provider, as a browser
    confirm = client.get(f"/my-pages/cases/{withdrawn}/withdraw").get_data(as_text=True)
    done = client.post(f"/my-pages/cases/{withdrawn}/withdraw", data={"csrf_token": _csrf(confirm)})
    assert done.status_code == 302

    def withdrawal_waits() -> bool:
        rows = cluster.query(
            sa.select(Step.withdrawal, Step.retry_at).where(
                Step.case_id == withdrawn, Step.agency == "kommun_0380"
            )
        )
        return all(withdrawal == "due" and retry_at is not None for withdrawal, retry_at in rows)

    wait_until(withdrawal_waits, timeout_s=120)

    stop_process(outage)
    cluster.env["CONTACTPOINT_AGENCY_KOMMUN_0380_FAILURE_RATE"] = "0"  # back
    cluster.start_worker("after", concurrency=2)
    wait_for_all_finished(cluster, going_on, timeout_s=120)
    assert_every_step_ended_once(cluster, going_on)

    def told() -> bool:
        rows = cluster.query(
            sa.select(Step.withdrawal).where(
                Step.case_id == withdrawn, Step.agency == "kommun_0380"
            )
        )
        return {withdrawal for (withdrawal,) in rows} == {"sent"}

    wait_until(told, timeout_s=120)  # the municipality heard of the withdrawal once back
    kommun = cluster.query(
        sa.select(Step.id, Step.case_id, Step.status).where(
            Step.case_id.in_(case_ids), Step.agency == "kommun_0380"
        )
    )
    assert {status for _id, case_id, status in kommun if case_id != withdrawn} == {"done"}
    assert {status for _id, case_id, status in kommun if case_id == withdrawn} == {"cancelled"}
    told_of = {step_id for step_id, case_id, _status in kommun if case_id == withdrawn}
    assert told_of <= set(cluster.app.extensions["ledger"].withdrawn_steps())

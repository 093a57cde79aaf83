"""Agency callbacks: signed per agency; a forged one is refused, a replay changes nothing."""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa

from contactpoint.api.signatures import SIGNATURE_HEADER
from contactpoint.db.models import CaseEvent, Step
from tests.conftest import wait_until

from .conftest import Cluster, signed_callback, submit_cases


def waiting_step(cluster: Cluster, case_id: str) -> tuple[str, str] | None:
    rows = cluster.query(
        sa.select(Step.id, Step.agency).where(
            Step.case_id == case_id, Step.status == "waiting", Step.ball == "agency"
        )
    )
    return (rows[0][0], rows[0][1]) if rows else None


def test_a_forged_callback_is_refused_and_a_replayed_one_changes_nothing(
    cluster_factory: Any,
) -> None:
    cluster = cluster_factory()
    cluster.start_worker("callbacks", concurrency=2)
    (case_id,) = submit_cases(cluster.client(), 1, manual_step=True)
    step_id, agency = wait_until(lambda: waiting_step(cluster, case_id), timeout_s=60)
    client = cluster.client()
    body = {"id": "cb-1", "step_id": step_id, "decision": "approve", "reference": "FK-77"}

    forged = client.post(
        f"/api/v1/callbacks/{agency}",
        json=body,
        headers={SIGNATURE_HEADER: f"t={int(time.time())},v1={'0' * 64}"},
    )
    unsigned = client.post(f"/api/v1/callbacks/{agency}", json=body)
    other_agency = signed_callback(cluster, "skatteverket", body)
    assert (forged.status_code, unsigned.status_code) == (401, 401)
    assert other_agency.status_code == 404  # signed, but not that agency's step
    assert waiting_step(cluster, case_id) == (step_id, agency)

    genuine = signed_callback(cluster, agency, body)
    assert genuine.status_code == 200 and genuine.json["status"] == "applied"
    replay = signed_callback(cluster, agency, body)
    assert replay.status_code == 200 and replay.json["status"] == "duplicate"
    again = signed_callback(
        cluster, agency, {**body, "id": "cb-2", "decision": "reject", "reason": "No."}
    )
    assert again.status_code == 409  # a new decision on a decided step changes nothing

    ((status, reference),) = cluster.query(
        sa.select(Step.status, Step.agency_reference).where(Step.id == step_id)
    )
    assert (status, reference) == ("done", "FK-77")
    approvals = cluster.query(
        sa.select(CaseEvent.id).where(
            CaseEvent.step_id == step_id, CaseEvent.kind == "step_approved"
        )
    )
    assert len(approvals) == 1


def test_a_stale_or_malformed_callback_is_a_clear_4xx(cluster_factory: Any) -> None:
    cluster = cluster_factory()
    client = cluster.client()
    stale = client.post(
        "/api/v1/callbacks/forsakringskassan",
        json={"id": "x", "step_id": "y", "decision": "approve"},
        headers={SIGNATURE_HEADER: "t=1000,v1=abc"},
    )
    assert stale.status_code == 401
    assert client.post("/api/v1/callbacks/nowhere", json={}).status_code == 404
    bad = signed_callback(cluster, "forsakringskassan", {"id": "x", "decision": "maybe"})
    assert bad.status_code == 422 and "errors" in bad.json

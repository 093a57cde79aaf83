"""Structured logs carry ids and never personal numbers; metrics count steps by agency."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from types import SimpleNamespace
from typing import Any

import pytest
from flask.testing import FlaskClient
from prometheus_client import REGISTRY

from contactpoint.platform.observability.alerts import alerts
from contactpoint.platform.observability.logs import CONTEXT, JsonFormatter, bind
from contactpoint.platform.observability.metered_store import MeteredStore
from contactpoint.platform.observability.metrics import count_pass
from workflows.recovery import Recovered
from workflows.store import StepWork


def _record(message: str, *args: Any) -> logging.LogRecord:
    return logging.LogRecord("workflows.engine", logging.INFO, __file__, 1, message, args, None)


def test_a_json_log_line_carries_the_bound_ids_and_masks_personal_numbers() -> None:
    token = CONTEXT.set({})
    try:
        bind(case_id="c1", step_id="s1", agency="skatteverket")
        line = JsonFormatter().format(_record("sent for %s and 198503122387", "19850312-2387"))
    finally:
        CONTEXT.reset(token)
    entry = json.loads(line)
    assert entry["case_id"] == "c1" and entry["step_id"] == "s1"
    assert entry["agency"] == "skatteverket" and entry["level"] == "info"
    assert "2387" not in line and entry["message"] == "sent for [redacted] and [redacted]"


class FakeStore:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def begin_step(self, step_id: str) -> StepWork:
        self.calls.append("begin")
        sent = dt.datetime(2026, 11, 25, 1, 0, tzinfo=dt.UTC)  # claimed for the queue then,
        began = sent + dt.timedelta(seconds=0.2 * self.calls.count("begin"))  # begun after it
        return StepWork(
            step_id=step_id, case_id="c", key="k", agency="csn", life_event="moving",
            idempotency_key=step_id, attempt=self.calls.count("begin"), fields=(), manual=False,
            answers={}, person={}, began_at=began, sent_at=sent,
        )  # fmt: skip

    def step_done(self, *_args: Any) -> None:
        self.calls.append("done")

    def step_retrying(self, *_args: Any) -> None:
        self.calls.append("retry")

    def close_case(self, case_id: str, status: str) -> None:
        self.calls.append(f"close {case_id} {status}")


KINDS = tuple(Recovered().as_dict())


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_the_metered_store_counts_outcomes_and_retries_by_agency() -> None:
    fake = FakeStore()
    store = MeteredStore(fake, lambda _step_id: "csn")
    done_before = _sample("contactpoint_steps_total", agency="csn", outcome="done")
    retries_before = _sample("contactpoint_step_retries_total", agency="csn")
    timed_before = _sample("contactpoint_step_duration_seconds_count", agency="csn")
    waits_before = _sample("contactpoint_step_queue_wait_seconds_count", agency="csn")
    waited_before = _sample("contactpoint_step_queue_wait_seconds_sum", agency="csn")

    store.begin_step("s1")
    store.step_retrying("s1", "busy", 1.0)
    store.begin_step("s1")
    store.step_done("s1", "REF", {}, "")
    store.close_case("c", "done")  # anything else passes through

    assert fake.calls == ["begin", "retry", "begin", "done", "close c done"]
    assert _sample("contactpoint_steps_total", agency="csn", outcome="done") == done_before + 1
    assert _sample("contactpoint_step_retries_total", agency="csn") == retries_before + 1
    assert _sample("contactpoint_step_duration_seconds_count", agency="csn") == timed_before + 1
    # the first attempt waited 0.2 s in the queue; the retry's wait was the retry's delay
    assert _sample("contactpoint_step_queue_wait_seconds_count", agency="csn") == waits_before + 1
    waited = _sample("contactpoint_step_queue_wait_seconds_sum", agency="csn") - waited_before
    assert waited == pytest.approx(0.2)


def test_metrics_are_served_with_the_depth_of_every_queue(client: FlaskClient) -> None:
    response = client.get("/metrics")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert 'contactpoint_queue_depth{queue="contactpoint"}' in text
    assert 'contactpoint_queue_depth{queue="agency.skatteverket"}' in text
    assert "# TYPE contactpoint_steps_total counter" in text


def test_every_metric_an_alert_reads_is_one_the_app_serves(client: FlaskClient) -> None:
    text = client.get("/metrics").get_data(as_text=True)
    served = {line.split()[2] for line in text.splitlines() if line.startswith("# TYPE ")}
    served |= {line.split("{")[0].split()[0] for line in text.splitlines() if line[:1].isalpha()}
    histograms = {line.split()[2] for line in text.splitlines() if line.endswith(" histogram")}
    served |= {f"{name}_bucket" for name in histograms}
    for alert in alerts():
        named = set(re.findall(r"\bcontactpoint_[a-z_]+\b", alert.expr))
        assert named and named <= served, (alert.name, named - served)


def test_liveness_touches_nothing(client: FlaskClient) -> None:
    assert client.get("/livez").json == {"status": "ok"}


def test_what_a_recovery_pass_drove_again_is_counted_by_kind() -> None:
    recover, other = SimpleNamespace(name="workflows.recover"), SimpleNamespace(name="x.y")
    before = {kind: _sample("contactpoint_recovered_total", kind=kind) for kind in KINDS}

    result = {"advanced": 2, "retried": 3, "requeued": 1, "withdrawals": 0}
    count_pass(sender=recover, result=result)
    count_pass(sender=other, result={"advanced": 5})

    after = {kind: _sample("contactpoint_recovered_total", kind=kind) for kind in KINDS}
    assert {kind: after[kind] - before[kind] for kind in KINDS} == {
        "advanced": 2,
        "retried": 3,
        "requeued": 1,
        "withdrawals": 0,
    }


def test_what_a_retention_pass_removed_is_counted_by_kind() -> None:
    purge = SimpleNamespace(name="workflows.purge_expired")
    kinds = ("cases", "drafts", "audit")
    before = {kind: _sample("contactpoint_retention_removed_total", kind=kind) for kind in kinds}

    count_pass(sender=purge, result={"cases": 3, "drafts": 1, "audit": 0})
    count_pass(sender=SimpleNamespace(name="workflows.recover"), result={"cases": 7})

    after = {kind: _sample("contactpoint_retention_removed_total", kind=kind) for kind in kinds}
    assert {kind: after[kind] - before[kind] for kind in kinds} == {
        "cases": 3,
        "drafts": 1,
        "audit": 0,
    }


def test_an_agencys_breaker_is_seen_open_and_closed_again() -> None:
    from contactpoint.platform.observability import breaker_changed

    before = _sample("contactpoint_agency_breaker_opened_total", agency="csn")
    breaker_changed("csn", True)
    assert _sample("contactpoint_agency_breaker_open", agency="csn") == 1.0
    assert _sample("contactpoint_agency_breaker_opened_total", agency="csn") == before + 1
    breaker_changed("csn", False)
    assert _sample("contactpoint_agency_breaker_open", agency="csn") == 0.0
    assert _sample("contactpoint_agency_breaker_opened_total", agency="csn") == before + 1

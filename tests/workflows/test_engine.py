"""The engine: ready steps go out once as a group; a step's answer advances the case."""

from __future__ import annotations

import random

import pytest

from agencies.base import AgencyTimeout, PermanentError, Receipt, TransientError
from agencies.catalogue import queue_for
from tests.helpers.fakes import FakeAdapters, FakeDispatcher, FakeStep, FakeStore, ScriptedAgency
from workflows import engine
from workflows.engine import Retry, RetryPolicy


def moving_store() -> FakeStore:
    return FakeStore(
        [
            FakeStep("s1", "change-of-address", "skatteverket"),
            FakeStep("s2", "school-transfer", "kommun_0380", depends_on=("change-of-address",)),
            FakeStep("s3", "housing-allowance", "forsakringskassan"),
            FakeStep("s4", "vehicle-register", "transportstyrelsen", status="not_needed"),
        ]
    )


def test_advance_dispatches_the_independent_steps_as_one_group() -> None:
    store, dispatcher = moving_store(), FakeDispatcher()
    engine.advance(store, dispatcher, "case-1")
    assert dispatcher.sent == [[("s1", "skatteverket"), ("s3", "forsakringskassan")]]
    assert store.status == "in_progress"


def test_a_new_case_opens_with_the_steps_that_need_nothing_and_is_then_in_progress() -> None:
    state = moving_store().case_state("case-1")
    assert state is not None
    assert engine.opening(state) == (["s1", "s3"], "in_progress")
    nothing_needed = FakeStore([FakeStep("s4", "vehicle-register", "x", status="not_needed")])
    empty = nothing_needed.case_state("case-1")
    assert empty is not None and engine.opening(empty) == ([], "received")


def test_advance_twice_dispatches_nothing_twice() -> None:
    store, dispatcher = moving_store(), FakeDispatcher()
    engine.advance(store, dispatcher, "case-1")
    engine.advance(store, dispatcher, "case-1")
    assert len(dispatcher.sent) == 1


def test_a_dependent_step_goes_once_its_dependency_is_done() -> None:
    store, dispatcher, adapters = moving_store(), FakeDispatcher(), FakeAdapters()
    engine.advance(store, dispatcher, "case-1")
    case_id, retry = engine.run_step(store, adapters, "s1")
    assert (case_id, retry) == ("case-1", None)
    engine.advance(store, dispatcher, "case-1")
    assert dispatcher.sent[-1] == [("s2", "kommun_0380")]


def test_the_case_closes_when_every_step_has_ended() -> None:
    store, dispatcher, adapters = moving_store(), FakeDispatcher(), FakeAdapters()
    engine.advance(store, dispatcher, "case-1")
    for step_id in ("s1", "s3"):
        engine.run_step(store, adapters, step_id)
    engine.advance(store, dispatcher, "case-1")
    engine.run_step(store, adapters, "s2")
    engine.advance(store, dispatcher, "case-1")
    assert store.status == "done"


def test_a_failed_dependency_cancels_the_steps_after_it_and_the_rest_goes_on() -> None:
    store, dispatcher = moving_store(), FakeDispatcher()
    adapters = FakeAdapters(
        skatteverket=ScriptedAgency("skatteverket", [PermanentError("refused")])
    )
    engine.advance(store, dispatcher, "case-1")
    engine.run_step(store, adapters, "s1")
    engine.run_step(store, adapters, "s3")
    engine.advance(store, dispatcher, "case-1")
    assert store.steps["s1"].status == "failed" and store.steps["s1"].reason == "refused"
    assert store.steps["s2"].status == "cancelled"
    assert store.steps["s3"].status == "done"
    assert store.status == "done_with_problems"


def test_a_transient_error_asks_for_a_retry_with_backoff() -> None:
    store = moving_store()
    adapters = FakeAdapters(skatteverket=ScriptedAgency("skatteverket", [AgencyTimeout("slow")]))
    _case, retry = engine.run_step(store, adapters, "s1", RetryPolicy(base_delay_s=2))
    assert isinstance(retry, Retry) and 1 <= retry.delay_s <= 2
    assert ("retry", "s1") in store.events
    _case, retry = engine.run_step(store, adapters, "s1")
    assert retry is None and store.steps["s1"].status == "done"


def test_retries_end_in_failure_with_a_readable_reason() -> None:
    store = moving_store()
    errors = [TransientError("down")] * 3
    adapters = FakeAdapters(skatteverket=ScriptedAgency("skatteverket", errors))
    policy = RetryPolicy(max_attempts=3)
    retries = [engine.run_step(store, adapters, "s1", policy)[1] for _ in range(3)]
    assert retries[0] and retries[1] and retries[2] is None
    assert store.steps["s1"].status == "failed"
    assert "after 3 attempts" in (store.steps["s1"].reason or "")


def test_the_same_idempotency_key_is_sent_on_every_attempt() -> None:
    store = moving_store()
    agency = ScriptedAgency("skatteverket", [TransientError("down")])
    adapters = FakeAdapters(skatteverket=agency)
    engine.run_step(store, adapters, "s1")
    engine.run_step(store, adapters, "s1")
    assert [r.idempotency_key for r in agency.requests] == ["s1", "s1"]


def test_a_step_already_done_is_not_submitted_again() -> None:
    store, adapters = moving_store(), FakeAdapters()
    engine.run_step(store, adapters, "s1")
    assert engine.run_step(store, adapters, "s1") == (None, None)
    assert len(adapters.for_agency("skatteverket").requests) == 1  # type: ignore[attr-defined]


def test_a_waiting_answer_puts_the_ball_with_the_agency() -> None:
    store = moving_store()
    adapters = FakeAdapters(
        forsakringskassan=ScriptedAgency("forsakringskassan", [Receipt("waiting", "FK-1")])
    )
    engine.run_step(store, adapters, "s3")
    assert store.steps["s3"].status == "waiting" and store.steps["s3"].ball == "agency"


def test_the_agency_receives_the_declared_fields_and_the_share_is_logged() -> None:
    store, adapters = moving_store(), FakeAdapters()
    engine.run_step(store, adapters, "s1")
    request = adapters.for_agency("skatteverket").requests[0]  # type: ignore[attr-defined]
    assert request.fields == {"personal_number": "19850312-2387"}
    assert store.shares == [("s1", ["personal_number"])]


def test_a_broker_outage_releases_the_claim_for_a_later_sweep() -> None:
    store = moving_store()
    with pytest.raises(ConnectionError):
        engine.advance(store, FakeDispatcher(fail=True), "case-1")
    assert not any(step.dispatched for step in store.steps.values())


def test_backoff_grows_and_is_capped() -> None:
    policy = RetryPolicy(base_delay_s=1, max_delay_s=8)
    rng = random.Random(1)
    delays = [policy.delay(attempt, rng) for attempt in range(1, 8)]
    assert delays[0] <= 1 and delays[3] >= 4 and max(delays) <= 8


def test_each_step_is_one_immutable_task_on_its_agency_queue() -> None:
    from workflows.tasks import step_messages

    tasks = step_messages([("s1", "skatteverket"), ("s3", "forsakringskassan")])
    assert [t.task for t in tasks] == ["workflows.run_step", "workflows.run_step"]
    assert [t.args for t in tasks] == [("s1",), ("s3",)]
    assert all(t.immutable for t in tasks)
    assert [t.options["queue"] for t in tasks] == [
        queue_for("skatteverket"),
        queue_for("forsakringskassan"),
    ]

"""Durability in the engine: retry limits per agency, complements, recovery, withdrawal."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from pathlib import Path

import pytest

from agencies.base import (
    AgencyTimeout,
    PermanentError,
    Receipt,
    SubmissionRequest,
    TransientError,
    WithdrawalRequest,
)
from agencies.catalogue import AGENCIES
from agencies.sandbox import Ledger
from agencies.simulated import Behaviour, SimulatedAgency
from tests.helpers.fakes import (
    DurableFakeStore,
    FakeAdapters,
    FakeDispatcher,
    FakeStep,
    ScriptedAgency,
)
from workflows import engine, recovery, withdrawal
from workflows.engine import RetryPolicy
from workflows.store import Decision


def two_steps() -> DurableFakeStore:
    return DurableFakeStore(
        [
            FakeStep("s1", "change-of-address", "skatteverket"),
            FakeStep("s2", "school-transfer", "kommun_0380", depends_on=("change-of-address",)),
        ]
    )


def test_each_agency_gets_its_own_number_of_attempts() -> None:
    policy = RetryPolicy(max_attempts=10)
    assert policy.attempts_for("skatteverket") == AGENCIES["skatteverket"].max_retries + 1
    assert RetryPolicy(max_attempts=2).attempts_for("skatteverket") == 2
    assert policy.attempts_for("unknown-agency") == 10


def test_a_step_fails_with_a_readable_reason_after_its_agencys_limit() -> None:
    store, dispatcher = two_steps(), FakeDispatcher()
    limit = RetryPolicy().attempts_for("skatteverket")
    agency = ScriptedAgency("skatteverket", [AgencyTimeout("no answer")] * limit)
    engine.advance(store, dispatcher, "case-1")
    retries = [engine.run_step(store, FakeAdapters(skatteverket=agency), "s1")[1]]
    while retries[-1] is not None:
        retries.append(engine.run_step(store, FakeAdapters(skatteverket=agency), "s1")[1])
    assert len(retries) == limit
    assert store.steps["s1"].status == "failed"
    assert "skatteverket" in (store.steps["s1"].reason or "")
    assert len({r.idempotency_key for r in agency.requests}) == 1  # the same key every time
    engine.advance(store, dispatcher, "case-1")
    assert store.steps["s2"].status == "cancelled" and store.status == "done_with_problems"


def test_an_agency_asking_for_a_complement_puts_the_ball_with_the_citizen() -> None:
    store, dispatcher = two_steps(), FakeDispatcher()
    asking = Receipt("complement", "SKV-1", question="Which floor?")
    agency = ScriptedAgency("skatteverket", [asking])
    engine.advance(store, dispatcher, "case-1")
    engine.run_step(store, FakeAdapters(skatteverket=agency), "s1")
    step = store.steps["s1"]
    assert (step.status, step.ball, step.question) == ("waiting", "citizen", "Which floor?")
    assert engine.answer_complement(store, dispatcher, "s1", "Third", "citizen:1")
    engine.run_step(store, FakeAdapters(skatteverket=agency), "s1")
    assert agency.requests[-1].complement == "Third" and step.status == "done"


def test_the_simulated_agency_asks_once_and_records_a_withdrawal_once(tmp_path: Path) -> None:
    ledger = Ledger(f"sqlite:///{tmp_path / 'sandbox.db'}")
    agency = SimulatedAgency("skatteverket", ledger, Behaviour(complement_rate=1.0))
    request = SubmissionRequest("skatteverket", "s1", "c1", "s1", "change-of-address", "moving", {})
    assert agency.submit(request).status == "complement"
    assert agency.submit(replace(request, complement="From 1 May")).status == "done"
    assert [entry.times_received for entry in ledger.entries()] == [2]
    withdrawal_request = WithdrawalRequest(
        "skatteverket", "s1-withdrawal", "c1", "s1", "change-of-address", "moving"
    )
    agency.withdraw(withdrawal_request)
    agency.withdraw(withdrawal_request)
    assert ledger.withdrawn_steps() == {"s1": 2}


def test_a_decision_is_kept_when_the_broker_is_down() -> None:
    store = two_steps()
    engine.advance(store, FakeDispatcher(), "case-1")
    waiting = ScriptedAgency("skatteverket", [Receipt("waiting", "SKV-1")])
    engine.run_step(store, FakeAdapters(skatteverket=waiting), "s1")
    down = FakeDispatcher(fail=True)
    assert engine.decide(store, down, "s1", Decision("approve", "agency:skatteverket"))
    assert store.steps["s1"].status == "done" and not store.steps["s2"].dispatched
    recovered = recovery.recover(store, FakeDispatcher())
    assert recovered.advanced == ["case-1"]


def test_the_outbox_starts_a_case_whose_first_dispatch_failed() -> None:
    store = two_steps()
    with pytest.raises(ConnectionError):
        engine.advance(store, FakeDispatcher(fail=True), "case-1")
    assert not store.steps["s1"].dispatched
    dispatcher = FakeDispatcher()
    assert recovery.relay_outbox(store, dispatcher) == ["case-1"]
    assert dispatcher.sent == [[("s1", "skatteverket")]]
    assert recovery.relay_outbox(store, FakeDispatcher()) == []  # nothing ready any more


def test_a_stuck_step_is_sent_again_once() -> None:
    store, dispatcher = two_steps(), FakeDispatcher()
    engine.advance(store, dispatcher, "case-1")
    store.begin_step("s1")
    store.stuck.add("s1")
    assert recovery.requeue_stuck_steps(store, dispatcher) == ["s1"]
    assert recovery.requeue_stuck_steps(store, dispatcher) == []
    assert dispatcher.sent[-1] == [("s1", "skatteverket")]
    assert ("recovered", "s1") in store.events


def test_withdrawal_cancels_what_has_not_started_and_tells_the_agency_that_has_it() -> None:
    store, dispatcher = two_steps(), FakeDispatcher()
    engine.advance(store, dispatcher, "case-1")
    engine.run_step(store, FakeAdapters(), "s1")
    assert withdrawal.withdraw(store, dispatcher, "case-1", "citizen:1")
    assert not withdrawal.withdraw(store, dispatcher, "case-1", "citizen:1")
    assert store.steps["s2"].status == "cancelled"
    assert dispatcher.withdrawals == [[("s1", "skatteverket")]]
    agency = ScriptedAgency("skatteverket")
    adapters = FakeAdapters(skatteverket=agency)
    assert withdrawal.tell_agency(store, adapters, "s1") is None
    assert withdrawal.tell_agency(store, adapters, "s1") is None  # a redelivery sends nothing
    assert [r.idempotency_key for r in agency.withdrawn] == ["s1-withdrawal"]
    assert store.withdrawal["s1"] == "sent" and store.steps["s1"].status == "done"
    engine.advance(store, dispatcher, "case-1")
    assert store.status == "withdrawn"


def test_a_withdrawal_waits_for_a_running_attempt_and_retries_a_failing_agency() -> None:
    store, dispatcher = two_steps(), FakeDispatcher()
    engine.advance(store, dispatcher, "case-1")
    store.begin_step("s1")
    withdrawal.withdraw(store, dispatcher, "case-1", "citizen:1")
    store.busy.add("s1")
    agency = ScriptedAgency("skatteverket", [TransientError("down"), PermanentError("no")])
    adapters = FakeAdapters(skatteverket=agency)
    assert withdrawal.tell_agency(store, adapters, "s1") is None and not agency.withdrawn
    store.busy.clear()
    assert withdrawal.tell_agency(store, adapters, "s1", attempt=1) is not None
    assert withdrawal.tell_agency(store, adapters, "s1", attempt=2) is None
    assert store.withdrawal["s1"] == "failed" and store.steps["s1"].status == "cancelled"


def test_after_the_quick_attempts_an_unreachable_agency_gets_scheduled_ones() -> None:
    policy = RetryPolicy(base_delay_s=1, outage_for_s=3600, outage_every_s=600)
    quick = policy.attempts_for("skatteverket")
    assert policy.outage_attempts == 8  # every 5 to 10 minutes, 7.5 on average: an hour
    rng = random.Random(7)
    retries = [policy.after(attempt, "skatteverket", rng) for attempt in range(1, 20)]
    kinds = [None if r is None else r.scheduled for r in retries]
    assert kinds == [False] * (quick - 1) + [True] * 8 + [None] * (19 - quick + 1 - 8)
    scheduled = [r.delay_s for r in retries if r is not None and r.scheduled]
    assert all(300 <= delay <= 600 for delay in scheduled)
    assert RetryPolicy().after(quick, "skatteverket") is None  # none configured: it fails


def test_a_scheduled_retry_waits_for_recovery_and_the_step_finishes_when_the_agency_is_back() -> (
    None
):
    store, dispatcher = two_steps(), FakeDispatcher()
    policy = RetryPolicy(max_attempts=2, outage_for_s=60, outage_every_s=60)
    down = ScriptedAgency("skatteverket", [AgencyTimeout("no answer")] * 3)
    engine.advance(store, dispatcher, "case-1")
    outcomes = [engine.run_step(store, FakeAdapters(skatteverket=down), "s1", policy)[1]]
    outcomes.append(engine.run_step(store, FakeAdapters(skatteverket=down), "s1", policy)[1])
    assert [r.scheduled for r in outcomes if r is not None] == [False, True]
    assert store.steps["s1"].status == "running" and ("scheduled retry", "s1") in store.events
    assert recovery.recover(store, dispatcher).retried == ["s1"]
    assert dispatcher.sent[-1] == [("s1", "skatteverket")]
    assert recovery.send_due_retries(store, dispatcher) == []  # sent once
    back = FakeAdapters()  # the agency answers again
    assert engine.run_step(store, back, "s1", policy, dispatcher)[1] is None
    assert store.steps["s1"].status == "done" and ("recovered", "s1") not in store.events
    assert dispatcher.sent[-1] == [("s2", "kommun_0380")]


def test_a_step_fails_once_its_scheduled_attempts_are_spent_too() -> None:
    store, dispatcher = two_steps(), FakeDispatcher()
    policy = RetryPolicy(max_attempts=1, outage_for_s=60, outage_every_s=40)  # 2 scheduled
    down = ScriptedAgency("skatteverket", [AgencyTimeout("no answer")] * 3)
    engine.advance(store, dispatcher, "case-1")
    for _attempt in range(3):
        engine.run_step(store, FakeAdapters(skatteverket=down), "s1", policy)
        recovery.send_due_retries(store, dispatcher)
    assert store.steps["s1"].status == "failed"
    assert "after 3 attempts" in (store.steps["s1"].reason or "")


def test_a_pass_sends_every_due_retry_however_many_a_batch_holds() -> None:
    store = DurableFakeStore(
        [FakeStep(f"s{n}", f"step-{n}", "skatteverket") for n in range(5)], case_id="case-1"
    )
    dispatcher = FakeDispatcher()
    engine.advance(store, dispatcher, "case-1")
    for step_id in store.steps:
        store.begin_step(step_id)
        store.step_retrying(step_id, "no answer", 600, scheduled=True)
    assert sorted(recovery.recover(store, dispatcher, limit=2).retried) == sorted(store.steps)
    assert [len(batch) for batch in dispatcher.sent[-3:]] == [2, 2, 1]  # one send per batch


def withdrawn_while_down(failures: int) -> tuple[DurableFakeStore, FakeAdapters]:
    """A case withdrawn after its first step was done, and that step's agency now down."""
    store, dispatcher = two_steps(), FakeDispatcher()
    engine.advance(store, dispatcher, "case-1")
    engine.run_step(store, FakeAdapters(), "s1")
    withdrawal.withdraw(store, dispatcher, "case-1", "citizen:1")
    agency = ScriptedAgency("skatteverket", [TransientError("down")] * failures)
    return store, FakeAdapters(skatteverket=agency)


def test_a_withdrawal_an_agency_cannot_take_is_tried_again_on_schedule_until_it_can() -> None:
    policy = RetryPolicy(max_attempts=2, outage_for_s=3600, outage_every_s=600)
    store, down = withdrawn_while_down(3)
    quick = withdrawal.tell_agency(store, down, "s1", attempt=1, policy=policy)
    assert quick is not None and not quick.scheduled
    later = withdrawal.tell_agency(store, down, "s1", attempt=2, policy=policy)
    assert later is not None and later.scheduled and 300 <= later.delay_s <= 600
    assert store.withdrawal["s1"] == "due" and "s1" in store.withdrawal_retry
    # Recovery sends it when due; it is a scheduled attempt, counted by time, not by number.
    again = withdrawal.tell_agency(store, down, "s1", attempt=1, policy=policy)
    assert again is not None and again.scheduled
    back = FakeAdapters(skatteverket=ScriptedAgency("skatteverket"))
    assert withdrawal.tell_agency(store, back, "s1", attempt=1, policy=policy) is None
    assert store.withdrawal["s1"] == "sent" and not store.withdrawal_retry


def test_a_withdrawal_gives_up_once_the_outage_outlasts_the_policy() -> None:
    policy = RetryPolicy(max_attempts=1, outage_for_s=3600, outage_every_s=600)
    store, down = withdrawn_while_down(2)
    assert withdrawal.tell_agency(store, down, "s1", policy=policy) is not None
    store.withdrawn_at -= dt.timedelta(hours=2)  # withdrawn two hours ago
    assert withdrawal.tell_agency(store, down, "s1", policy=policy) is None
    assert store.withdrawal["s1"] == "failed"

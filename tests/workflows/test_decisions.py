"""Decisions on waiting steps, complements and retries advance the case; replays change nothing."""

from __future__ import annotations

import pytest

from agencies.base import PermanentError, Receipt
from tests.helpers.fakes import FakeAdapters, FakeDispatcher, FakeStep, FakeStore, ScriptedAgency
from workflows import engine
from workflows.engine import DecisionError
from workflows.store import Decision


def waiting_store(manual: bool = True) -> FakeStore:
    store = FakeStore(
        [
            FakeStep("s1", "change-of-address", "skatteverket", manual=manual),
            FakeStep("s2", "school-transfer", "kommun_0380", depends_on=("change-of-address",)),
        ]
    )
    adapters = FakeAdapters(
        skatteverket=ScriptedAgency("skatteverket", [Receipt("waiting", "SKV-1")])
    )
    engine.advance(store, FakeDispatcher(), "case-1")
    engine.run_step(store, adapters, "s1")
    assert store.steps["s1"].status == "waiting"
    return store


def test_approval_completes_the_step_and_dispatches_the_next() -> None:
    store, dispatcher = waiting_store(), FakeDispatcher()
    assert engine.decide(
        store, dispatcher, "s1", Decision("approve", "officer:1", reference="SKV-9")
    )
    assert store.steps["s1"].status == "done" and store.steps["s1"].reference == "SKV-9"
    assert dispatcher.sent == [[("s2", "kommun_0380")]]


def test_a_replayed_decision_changes_nothing() -> None:
    store, dispatcher = waiting_store(), FakeDispatcher()
    decision = Decision("approve", "officer:1")
    assert engine.decide(store, dispatcher, "s1", decision)
    assert not engine.decide(store, dispatcher, "s1", Decision("reject", "officer:1", reason="x"))
    assert store.steps["s1"].status == "done" and len(dispatcher.sent) == 1


def test_rejection_needs_a_reason_and_cancels_what_depends_on_it() -> None:
    store, dispatcher = waiting_store(), FakeDispatcher()
    with pytest.raises(DecisionError):
        engine.decide(store, dispatcher, "s1", Decision("reject", "officer:1", reason=" "))
    engine.decide(store, dispatcher, "s1", Decision("reject", "officer:1", reason="Wrong address"))
    assert store.steps["s1"].status == "failed" and store.steps["s1"].reason == "Wrong address"
    assert store.steps["s2"].status == "cancelled"
    assert store.status == "done_with_problems"


def test_a_complement_puts_the_ball_with_the_citizen_and_the_answer_gives_it_back() -> None:
    store, dispatcher = waiting_store(), FakeDispatcher()
    with pytest.raises(DecisionError):
        engine.decide(store, dispatcher, "s1", Decision("complement", "officer:1"))
    engine.decide(
        store, dispatcher, "s1", Decision("complement", "officer:1", question="Which floor?")
    )
    assert (store.steps["s1"].status, store.steps["s1"].ball) == ("waiting", "citizen")
    assert engine.answer_complement(store, dispatcher, "s1", "Third floor", "citizen")
    assert (store.steps["s1"].status, store.steps["s1"].ball) == ("waiting", "agency")
    assert not engine.answer_complement(store, dispatcher, "s1", "again", "citizen")


def test_an_automatic_step_is_sent_again_with_the_complement() -> None:
    store, dispatcher = waiting_store(manual=False), FakeDispatcher()
    engine.decide(
        store, dispatcher, "s1", Decision("complement", "agency:skatteverket", question="Floor?")
    )
    engine.answer_complement(store, dispatcher, "s1", "Third floor", "citizen")
    assert dispatcher.sent == [[("s1", "skatteverket")]]
    agency = ScriptedAgency("skatteverket")
    engine.run_step(store, FakeAdapters(skatteverket=agency), "s1")
    assert agency.requests[0].complement == "Third floor"
    assert store.steps["s1"].status == "done"


def test_a_failed_step_can_be_retried_and_the_case_goes_on() -> None:
    store, dispatcher = (
        FakeStore(
            [
                FakeStep("s1", "change-of-address", "skatteverket"),
                FakeStep("s2", "school-transfer", "kommun_0380", depends_on=("change-of-address",)),
            ]
        ),
        FakeDispatcher(),
    )
    refusing = FakeAdapters(skatteverket=ScriptedAgency("skatteverket", [PermanentError("down")]))
    engine.advance(store, dispatcher, "case-1")
    engine.run_step(store, refusing, "s1")
    engine.advance(store, dispatcher, "case-1")
    assert store.steps["s2"].status == "cancelled" and store.status == "done_with_problems"
    assert engine.retry_failed_step(store, dispatcher, "s1", "supervisor:1")
    assert store.steps["s2"].status == "pending" and store.status == "in_progress"
    assert dispatcher.sent[-1] == [("s1", "skatteverket")]
    assert not engine.retry_failed_step(store, dispatcher, "s1", "supervisor:1")

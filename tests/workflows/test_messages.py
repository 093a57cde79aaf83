"""Which changes of a case become a message: complement requests, decisions and deadlines."""

from __future__ import annotations

import datetime as dt

from agencies.base import Receipt
from tests.helpers.fakes import FakeAdapters, FakeDispatcher, FakeStep, FakeStore, ScriptedAgency
from workflows import MessageAction, MessageKind, catalogue, deadline_reminders, engine
from workflows.store import Decision


def waiting_store(first: Receipt | None = None) -> FakeStore:
    store = FakeStore([FakeStep("s1", "change-of-address", "skatteverket", manual=True)])
    adapters = FakeAdapters(
        skatteverket=ScriptedAgency("skatteverket", [first or Receipt("waiting", "SKV-1")])
    )
    engine.advance(store, FakeDispatcher(), "case-1")
    engine.run_step(store, adapters, "s1")
    return store


def test_an_officers_complement_request_is_a_message_to_answer() -> None:
    store = waiting_store()
    asked = Decision("complement", "officer:1", question="Which floor?")
    assert engine.decide(store, FakeDispatcher(), "s1", asked)
    [message] = store.messages
    assert message.kind == MessageKind.COMPLEMENT and message.action == MessageAction.ANSWER
    assert message.params == {"question": "Which floor?"} and message.step_id == "s1"
    assert message.per_step_change  # a second question on the step is a message of its own


def test_an_agencys_own_complement_request_is_a_message_too() -> None:
    store = waiting_store(Receipt("complement", "SKV-1", question="Your lease, please"))
    [message] = store.messages
    assert message.kind == MessageKind.COMPLEMENT
    assert message.params == {"question": "Your lease, please"}


def test_an_approval_carries_the_agencys_reference_and_a_rejection_its_reason() -> None:
    approved = waiting_store()
    engine.decide(approved, FakeDispatcher(), "s1", Decision("approve", "o", reference="SKV-9"))
    rejected = waiting_store()
    engine.decide(rejected, FakeDispatcher(), "s1", Decision("reject", "o", reason="Too late"))
    [yes], [no] = approved.messages, rejected.messages
    assert yes.kind == no.kind == MessageKind.DECISION
    assert yes.params == {"outcome": "approved", "reference": "SKV-9"}
    assert no.params == {"outcome": "rejected", "reason": "Too late"}
    assert yes.action == no.action == MessageAction.OPEN_CASE


def test_a_replayed_decision_makes_no_second_message() -> None:
    store = waiting_store()
    engine.decide(store, FakeDispatcher(), "s1", Decision("approve", "o"))
    engine.decide(store, FakeDispatcher(), "s1", Decision("approve", "o"))
    assert len(store.messages) == 1


def test_a_declared_deadline_becomes_a_reminder_dated_from_the_answers() -> None:
    event = catalogue()["bereavement"]
    steps = [("id-1", "estate-inventory"), ("id-2", "pension")]
    answers = {"date_of_death": dt.date(2026, 1, 31)}
    [reminder] = deadline_reminders(event, answers, steps, "person-1", "case-1")
    assert reminder.kind == MessageKind.REMINDER and reminder.step_id == "id-1"
    assert reminder.params["deadline"] == "2026-04-30"  # three months on, the month's last day
    assert reminder.key == "step:id-1:deadline"
    assert (reminder.person_id, reminder.case_id) == ("person-1", "case-1")


def test_no_reminder_without_the_date_it_counts_from() -> None:
    event = catalogue()["bereavement"]
    assert deadline_reminders(event, {}, [("id-1", "estate-inventory")], "p", "c") == []

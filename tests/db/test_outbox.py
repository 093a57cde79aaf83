"""The outbox sweep finds the cases that recovery must advance, and no others.

A case whose next steps wait for a step still under way at its agency (for days, when a case
officer handles it) is not stalled. The sweep takes the oldest candidates first, up to a
limit, so such cases, were they candidates, would fill every pass and hide the newer ones
that are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from agencies.base import AgencyTimeout
from contactpoint.db.models import Case, CaseEvent, DataShare, Message, Step, utc
from contactpoint.extensions import db
from tests.helpers.statements import Collect, new_case
from workflows import engine, recovery, runtime
from workflows.engine import RetryPolicy
from workflows.retries import AgencyCircuitOpen

EVENT = "start-business"  # its first step, the company's registration, comes before the rest


@pytest.fixture()
def cases(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The ids of the cases a test makes; removed afterwards, so that no other test sees them
    waiting at an agency."""
    monkeypatch.setattr(runtime.current(), "dispatcher", Collect())
    made: list[str] = []
    with app.app_context():
        yield made
        db.session.rollback()
        for model in (CaseEvent, DataShare, Message, Step):
            db.session.execute(sa.delete(model).where(model.case_id.in_(made)))
        db.session.execute(sa.delete(Case).where(Case.id.in_(made)))
        db.session.commit()


def _new_case(made: list[str]) -> tuple[str, str]:
    """A new case and the id of its first step (claimed and sent, as a submission does)."""
    case_id = new_case(EVENT)
    made.append(case_id)
    first = db.session.scalar(
        sa.select(Step.id).where(Step.case_id == case_id, Step.dispatched_at.is_not(None))
    )
    assert first is not None
    return case_id, first


def test_the_outbox_skips_cases_whose_next_steps_wait_for_a_step_under_way(
    cases: list[str],
) -> None:
    store = runtime.current().store
    waiting = []
    for _ in range(3):  # the registration is with its agency, not yet decided
        case_id, first = _new_case(cases)
        db.session.execute(
            sa.update(Step).where(Step.id == first).values(status="waiting", ball="agency")
        )
        db.session.commit()
        waiting.append(case_id)
    unsent, first = _new_case(cases)  # its first step's message never reached the broker
    store.release_dispatch([first])
    unadvanced, first = _new_case(cases)  # its first step ended; nothing sent what came next
    current = runtime.current()
    engine.run_step(current.store, current.adapters, first, current.retry, dispatcher=None)
    db.session.rollback()

    found = store.stalled_cases(limit=10_000)

    assert unsent in found and unadvanced in found
    assert not set(waiting) & set(found)
    collect = Collect()
    advanced = recovery.relay_outbox(store, collect, limit=10_000)
    assert unsent in advanced and unadvanced in advanced
    sent_to = set(db.session.scalars(sa.select(Step.case_id).where(Step.id.in_(collect.sent))))
    assert {unsent, unadvanced} <= sent_to and not set(waiting) & sent_to


class Unreachable:
    """Every agency times out (or fails with `error`)."""

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error or AgencyTimeout("no answer")

    def for_agency(self, agency: str) -> Any:
        return self

    def submit(self, request: Any) -> Any:
        raise self.error


SCHEDULED = RetryPolicy(max_attempts=1, outage_for_s=3600, outage_every_s=600)


def _unreachable_once(made: list[str]) -> tuple[str, str]:
    """A new case whose first step found its agency unreachable: a scheduled retry."""
    case_id, first = _new_case(made)
    store = runtime.current().store
    _case, retry = engine.run_step(store, Unreachable(), first, SCHEDULED, dispatcher=None)
    assert retry is not None and retry.scheduled
    db.session.rollback()
    return case_id, first


def _make_due(step_id: str) -> None:
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    db.session.execute(
        sa.update(Step).where(Step.id == step_id).values(retry_at=past, lease_expires_at=past)
    )
    db.session.commit()


def test_a_scheduled_retry_is_sent_by_recovery_once_when_due_and_never_as_stuck(
    cases: list[str],
) -> None:
    store = runtime.current().store
    case_id, first = _unreachable_once(cases)
    step = db.session.get(Step, first)
    assert step is not None and step.status == "running" and step.retry_at is not None
    assert step.lease_expires_at == step.retry_at  # nothing else drives it meanwhile
    retry_at = step.retry_at
    line = db.session.scalars(
        sa.select(CaseEvent).where(CaseEvent.step_id == first, CaseEvent.kind == "step_retry")
    ).one()
    assert line.detail["retry_at"] == retry_at.astimezone(dt.UTC).isoformat(timespec="seconds")
    db.session.rollback()
    assert first not in dict(store.claim_due_retries(limit=10_000))  # not yet due

    _make_due(first)
    assert first not in store.stuck_steps(limit=10_000)  # not an attempt that was lost
    due = store.claim_due_retries(limit=10_000)
    assert (first, step.agency) in due
    assert (first, step.agency) not in store.claim_due_retries(limit=10_000)  # one sweep wins
    db.session.expire_all()
    step = db.session.get(Step, first)
    assert step is not None and (step.status, step.retry_at) == ("pending", None)
    assert step.dispatched_at is not None and step.lease_expires_at is None
    kinds = db.session.scalars(sa.select(CaseEvent.kind).where(CaseEvent.step_id == first))
    assert "step_recovered" not in set(kinds)
    work = store.begin_step(first)  # the message arrives: the next attempt
    assert work is not None and work.attempt == 2
    db.session.rollback()


def test_a_withdrawn_case_keeps_no_scheduled_retry_and_its_withdrawal_does_not_wait(
    cases: list[str],
) -> None:
    store = runtime.current().store
    case_id, first = _unreachable_once(cases)
    assert [step_id for step_id, _ in store.withdraw_case(case_id, "citizen:test") or []] == [first]
    work = store.begin_withdrawal(first)
    assert work is not None and not work.busy  # no attempt is under way: tell the agency now
    assert not work.scheduled and work.since is not None  # its first attempt, a quick one
    _make_due(first)
    assert first not in dict(store.claim_due_retries(limit=10_000))


def test_a_withdrawal_the_agency_could_not_take_waits_for_its_scheduled_retry(
    cases: list[str],
) -> None:
    store = runtime.current().store
    case_id, first = _new_case(cases)
    store.begin_step(first)
    db.session.rollback()
    store.withdraw_case(case_id, "citizen:test")
    store.withdrawal_retry_scheduled(first, 600)
    assert first not in dict(store.withdrawals_due(limit=10_000))  # not before its time
    work = store.begin_withdrawal(first)
    assert work is not None and work.scheduled
    _make_due(first)
    assert first in dict(store.withdrawals_due(limit=10_000))
    store.withdrawal_finished(first)
    step = db.session.get(Step, first)
    assert step is not None and (step.withdrawal, step.retry_at) == ("sent", None)
    db.session.rollback()


def test_an_attempt_an_open_breaker_skipped_is_taken_back_and_the_step_says_when_it_is_next(
    cases: list[str],
) -> None:
    store = runtime.current().store
    case_id, first = _new_case(cases)
    skipped = AgencyCircuitOpen("not tried", trial_in_s=120, reset_s=30, down=False)
    began = dt.datetime.now(dt.UTC)
    _case, retry = engine.run_step(store, Unreachable(skipped), first, SCHEDULED, None)
    assert retry is not None and not retry.counted and retry.scheduled
    step = db.session.get(Step, first)
    assert step is not None and step.status == "running" and step.attempts == 0
    waits = utc(step.next_attempt_at)
    assert waits is not None and waits == utc(step.retry_at) == utc(step.lease_expires_at)
    assert began + dt.timedelta(seconds=119) <= waits <= began + dt.timedelta(seconds=136)
    line = db.session.scalars(
        sa.select(CaseEvent).where(CaseEvent.step_id == first, CaseEvent.kind == "step_retry")
    ).one()
    assert line.detail["counted"] is False and line.detail["attempt"] == 0
    assert line.detail["retry_at"] == waits.isoformat(timespec="seconds")
    db.session.rollback()

    _make_due(first)
    assert (first, step.agency) in store.claim_due_retries(limit=10_000)
    work = store.begin_step(first)  # the message arrives: its first attempt still
    assert work is not None and work.attempt == 1
    db.session.expire_all()
    step = db.session.get(Step, first)
    assert step is not None and step.next_attempt_at is None  # an attempt under way
    db.session.rollback()


def test_a_quick_retry_says_when_it_is_and_leaves_the_schedule_alone(cases: list[str]) -> None:
    store = runtime.current().store
    _case_id, first = _new_case(cases)
    quick = RetryPolicy(max_attempts=3)
    _case, retry = engine.run_step(store, Unreachable(), first, quick, None)
    assert retry is not None and retry.counted and not retry.scheduled
    step = db.session.get(Step, first)
    assert step is not None and step.attempts == 1 and step.retry_at is None
    assert utc(step.next_attempt_at) == utc(step.lease_expires_at)  # held by the broker
    db.session.rollback()

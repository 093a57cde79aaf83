"""An agency that keeps failing is left alone for a while, then tried again."""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

import pybreaker
import pytest

from agencies import clock
from agencies.base import AgencyTimeout, PermanentError, TransientError
from tests.helpers.fakes import (
    SUBMISSION,
    FakeAdapters,
    FakeDispatcher,
    FakeStep,
    FakeStore,
    ScriptedAgency,
)
from workflows import engine
from workflows.breakers import AgencyCircuitOpen, Breakers
from workflows.engine import RetryPolicy

REQUEST = SUBMISSION


def test_after_failures_in_a_row_the_agency_is_not_called_until_the_breaker_lets_one_through() -> (
    None
):
    agency = ScriptedAgency("skatteverket", [AgencyTimeout("no answer")] * 3)
    changed: list[tuple[str, bool]] = []
    breakers = Breakers(
        FakeAdapters(skatteverket=agency),
        fail_max=3,
        reset_s=3600,
        changed=lambda *change: changed.append(change),
    )
    guarded = breakers.for_agency("skatteverket")
    for _ in range(3):  # the third failure opens it, and is reported as itself
        with pytest.raises(AgencyTimeout):
            guarded.submit(REQUEST)
    assert changed == [("skatteverket", True)]
    with pytest.raises(AgencyCircuitOpen, match="failed 3 times in a row just now") as skipped:
        guarded.submit(REQUEST)
    assert isinstance(skipped.value, TransientError)  # retried like any transient failure
    assert len(agency.requests) == 3  # the fourth attempt did not call the agency
    assert breakers.for_agency("kommun_0380").submit(REQUEST).status == "done"  # others unaffected


def test_a_trial_call_that_gets_an_answer_closes_the_breaker() -> None:
    agency = ScriptedAgency("skatteverket", [AgencyTimeout("no answer")] * 2)
    changed: list[tuple[str, bool]] = []
    breakers = Breakers(
        FakeAdapters(skatteverket=agency),
        fail_max=2,
        reset_s=0,  # a trial at once
        changed=lambda *change: changed.append(change),
    )
    guarded = breakers.for_agency("skatteverket")
    for _ in range(2):
        with pytest.raises(AgencyTimeout):
            guarded.submit(REQUEST)
    assert guarded.submit(REQUEST).status == "done"  # the trial: the agency is back
    assert changed == [("skatteverket", True), ("skatteverket", False)]
    agency.script = [AgencyTimeout("no answer")]
    with pytest.raises(AgencyTimeout):  # one failure after closing does not open it
        guarded.submit(REQUEST)
    assert guarded.submit(REQUEST).status == "done"
    assert len(agency.requests) == 5


def test_a_refusal_is_an_answer_and_keeps_the_breaker_closed() -> None:
    refusals = [AgencyTimeout("no answer"), PermanentError("no such address")] * 3
    agency = ScriptedAgency("skatteverket", refusals)
    guarded = Breakers(FakeAdapters(skatteverket=agency), fail_max=2).for_agency("skatteverket")
    for error in list(refusals):
        with pytest.raises(type(error)):
            guarded.submit(REQUEST)
    assert len(agency.requests) == 6  # every one was called


def test_no_breaker_when_switched_off() -> None:
    agency = ScriptedAgency("skatteverket", [AgencyTimeout("no answer")] * 4)
    breakers = Breakers(FakeAdapters(skatteverket=agency), fail_max=0)
    assert breakers.for_agency("skatteverket") is agency


def test_with_the_breaker_open_a_step_keeps_its_attempts_and_waits_for_the_trial() -> None:
    store = FakeStore([FakeStep("s1", "change-of-address", "skatteverket")])
    agency = ScriptedAgency("skatteverket", [AgencyTimeout("no answer")])
    breakers = Breakers(FakeAdapters(skatteverket=agency), fail_max=1, reset_s=3600)
    engine.advance(store, FakeDispatcher(), "case-1")
    policy = RetryPolicy(max_attempts=3)
    opened = time.time()
    first = engine.run_step(store, breakers, "s1", policy)[1]  # fails, and opens the breaker
    assert first is not None and first.counted and store.steps["s1"].attempts == 1
    for _ in range(5):  # more than its quick attempts: each skipped, none spent
        before = time.time()
        retry = engine.run_step(store, breakers, "s1", policy)[1]
        assert retry is not None and not retry.counted
        assert store.steps["s1"].attempts == 1  # the skipped attempt is taken back
        trial_in = opened + 3600 - before  # when the breaker lets the next call through
        assert trial_in - 1 <= retry.delay_s <= trial_in + 1800  # then, plus up to half its reset
        assert retry.scheduled  # an hour away: it waits in the database, not the broker
    assert len(agency.requests) == 1  # none of them reached the agency
    assert store.steps["s1"].status == "running"  # still waiting for the trial, not failed
    reasons = [reason for _step, reason, _delay in store.retries]
    assert all("not tried for up to 3600 s" in reason for reason in reasons[1:])


def test_a_short_wait_for_the_trial_is_held_by_the_broker_like_a_quick_retry() -> None:
    store = FakeStore([FakeStep("s1", "change-of-address", "skatteverket")])
    agency = ScriptedAgency("skatteverket", [AgencyTimeout("no answer")])
    breakers = Breakers(FakeAdapters(skatteverket=agency), fail_max=1, reset_s=20)
    engine.advance(store, FakeDispatcher(), "case-1")
    engine.run_step(store, breakers, "s1")
    retry = engine.run_step(store, breakers, "s1")[1]
    assert retry is not None and not retry.counted and not retry.scheduled
    assert 19 <= retry.delay_s <= 30


def test_a_skip_after_the_trial_that_gets_an_answer_is_no_skip_at_all() -> None:
    store = FakeStore([FakeStep("s1", "change-of-address", "skatteverket")])
    agency = ScriptedAgency("skatteverket", [AgencyTimeout("no answer")])
    breakers = Breakers(FakeAdapters(skatteverket=agency), fail_max=1, reset_s=0)
    engine.advance(store, FakeDispatcher(), "case-1")
    engine.run_step(store, breakers, "s1")
    assert engine.run_step(store, breakers, "s1")[1] is None  # the trial, made: done
    assert store.steps["s1"].status == "done" and store.steps["s1"].attempts == 2


class Later:
    """Moves time forward for the breakers: the service's clock (`agencies.clock`), and the
    one pybreaker reads to decide when a trial is due."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.moved = dt.timedelta()
        start = clock.now()
        monkeypatch.setattr(clock, "now", lambda: start + self.moved)
        later = self

        class Shifted(dt.datetime):
            @classmethod
            def now(cls, tz: dt.tzinfo | None = None) -> Any:
                return dt.datetime.now(tz) + later.moved

        monkeypatch.setattr(pybreaker, "datetime", Shifted)

    def __call__(self, seconds: float) -> None:
        self.moved += dt.timedelta(seconds=seconds)


@pytest.fixture()
def later(monkeypatch: pytest.MonkeyPatch) -> Later:
    return Later(monkeypatch)


def _trials_fail(breakers: Breakers, times: int, later: Later) -> None:
    """Open the agency's breaker, then fail `times` trials in a row, each when it is due."""
    guarded = breakers.for_agency("skatteverket")
    with pytest.raises(AgencyTimeout):  # the failure that opens it
        guarded.submit(REQUEST)
    for _ in range(times):
        later(breakers.reset_s)
        with pytest.raises(AgencyTimeout):
            guarded.submit(REQUEST)


def test_once_its_trials_keep_failing_the_agency_is_down_and_skips_count_again(
    later: Later,
) -> None:
    agency = ScriptedAgency("skatteverket", [AgencyTimeout("no answer")] * 4)
    breakers = Breakers(FakeAdapters(skatteverket=agency), fail_max=1, reset_s=60, trials=3)
    _trials_fail(breakers, 2, later)  # flaky: two trials failed
    with pytest.raises(AgencyCircuitOpen) as flaky:
        breakers.for_agency("skatteverket").submit(REQUEST)
    assert not flaky.value.down and flaky.value.trial_in_s == pytest.approx(60, abs=1)
    later(60)
    with pytest.raises(AgencyTimeout):  # the third trial in a row fails: down
        breakers.for_agency("skatteverket").submit(REQUEST)
    with pytest.raises(AgencyCircuitOpen, match="its trials since failed too") as down:
        breakers.for_agency("skatteverket").submit(REQUEST)
    assert down.value.down

    store = FakeStore([FakeStep("s1", "change-of-address", "skatteverket")])
    engine.advance(store, FakeDispatcher(), "case-1")
    policy = RetryPolicy(max_attempts=2, outage_for_s=3600)
    for attempt in (1, 2):  # each skip is counted, as a failure is
        retry = engine.run_step(store, breakers, "s1", policy)[1]
        assert retry is not None and retry.counted and store.steps["s1"].attempts == attempt
    assert retry.scheduled  # the quick attempts spent in seconds: the schedule for an outage
    assert len(agency.requests) == 4


def test_an_answer_starts_the_count_of_failed_trials_again(later: Later) -> None:
    agency = ScriptedAgency("skatteverket", [AgencyTimeout("no answer")] * 3)
    breakers = Breakers(FakeAdapters(skatteverket=agency), fail_max=1, reset_s=60, trials=2)
    _trials_fail(breakers, 2, later)
    later(60)
    guarded = breakers.for_agency("skatteverket")
    assert guarded.submit(REQUEST).status == "done"  # a trial gets an answer: closed
    agency.script = [AgencyTimeout("no answer")] * 2
    _trials_fail(breakers, 1, later)  # one failed trial since: flaky again
    with pytest.raises(AgencyCircuitOpen) as skipped:
        guarded.submit(REQUEST)
    assert not skipped.value.down


def test_with_no_trials_allowed_every_skipped_attempt_counts() -> None:
    agency = ScriptedAgency("skatteverket", [AgencyTimeout("no answer")])
    breakers = Breakers(FakeAdapters(skatteverket=agency), fail_max=1, reset_s=3600, trials=0)
    with pytest.raises(AgencyTimeout):
        breakers.for_agency("skatteverket").submit(REQUEST)
    with pytest.raises(AgencyCircuitOpen) as skipped:
        breakers.for_agency("skatteverket").submit(REQUEST)
    assert skipped.value.down


def test_the_retry_policy_waits_for_the_trial_without_spending_an_attempt() -> None:
    policy = RetryPolicy()
    rng = random.Random(7)
    waits = [policy.at_trial(40, 30, rng) for _ in range(200)]
    assert all(40 <= retry.delay_s <= 55 and not retry.counted for retry in waits)
    assert min(retry.delay_s for retry in waits) < 42 < 53 < max(r.delay_s for r in waits)
    assert not any(retry.scheduled for retry in waits if retry.delay_s <= policy.max_delay_s)
    assert policy.at_trial(-5, 0).delay_s == 0  # a trial already due: at once
    assert policy.at_trial(120, 30).scheduled  # longer than a quick retry: in the database


class DictBoard:
    """A board two `Breakers` share, as two worker processes share Redis."""

    def __init__(self) -> None:
        self.until: dict[str, float] = {}
        self.down_agencies: set[str] = set()

    def open_until(self, agency: str) -> float | None:
        return self.until.get(agency)

    def opened(self, agency: str, until: float, down: bool = False) -> None:
        self.until[agency] = until
        if down:
            self.down_agencies.add(agency)

    def down(self, agency: str) -> bool:
        return agency in self.down_agencies

    def closed(self, agency: str) -> None:
        self.until.pop(agency, None)
        self.down_agencies.discard(agency)


def test_one_process_finding_an_agency_down_spares_the_others_their_failures() -> None:
    board = DictBoard()
    down = [AgencyTimeout("no answer")] * 2
    first_agency, second_agency = (ScriptedAgency("skatteverket", list(down)) for _ in "ab")
    first = Breakers(FakeAdapters(skatteverket=first_agency), 2, reset_s=3600, board=board)
    second = Breakers(FakeAdapters(skatteverket=second_agency), 2, reset_s=3600, board=board)
    for _ in range(2):
        with pytest.raises(AgencyTimeout):
            first.for_agency("skatteverket").submit(REQUEST)
    assert board.until["skatteverket"] > time.time() + 3500  # shared until its trial is due
    with pytest.raises(AgencyCircuitOpen, match="not tried for up to 3600 s"):
        second.for_agency("skatteverket").submit(REQUEST)
    assert second_agency.requests == []  # the second process never called it
    assert second.for_agency("kommun_0380").submit(REQUEST).status == "done"

    board.until["skatteverket"] = time.time() - 1  # past: the second process may call it
    with pytest.raises(AgencyTimeout):
        second.for_agency("skatteverket").submit(REQUEST)
    assert len(second_agency.requests) == 1


def test_a_trial_that_gets_an_answer_reopens_the_agency_to_every_process() -> None:
    board = DictBoard()
    agency = ScriptedAgency("skatteverket", [AgencyTimeout("no answer")] * 2)
    first = Breakers(FakeAdapters(skatteverket=agency), fail_max=1, reset_s=0, board=board)
    second = Breakers(FakeAdapters(skatteverket=agency), fail_max=1, reset_s=3600, board=board)
    with pytest.raises(AgencyTimeout):
        first.for_agency("skatteverket").submit(REQUEST)
    assert "skatteverket" in board.until
    with pytest.raises(AgencyTimeout):  # the trial fails: open again, and shared again
        first.for_agency("skatteverket").submit(REQUEST)
    assert "skatteverket" in board.until
    assert first.for_agency("skatteverket").submit(REQUEST).status == "done"  # back
    assert "skatteverket" not in board.until
    assert second.for_agency("skatteverket").submit(REQUEST).status == "done"


def test_a_process_that_found_the_agency_down_tells_the_others_so(later: Later) -> None:
    board = DictBoard()
    agency = ScriptedAgency("skatteverket", [AgencyTimeout("no answer")] * 3)
    first = Breakers(FakeAdapters(skatteverket=agency), 1, reset_s=60, board=board, trials=2)
    second = Breakers(FakeAdapters(skatteverket=agency), 1, reset_s=60, board=board, trials=2)
    _trials_fail(first, 1, later)
    with pytest.raises(AgencyCircuitOpen) as flaky:  # the second skips it, by the board
        second.for_agency("skatteverket").submit(REQUEST)
    assert not flaky.value.down and flaky.value.trial_in_s == pytest.approx(60, abs=1)
    later(60)
    with pytest.raises(AgencyTimeout):  # the first's second trial fails: down, for all
        first.for_agency("skatteverket").submit(REQUEST)
    assert board.down("skatteverket")
    with pytest.raises(AgencyCircuitOpen) as down:
        second.for_agency("skatteverket").submit(REQUEST)
    assert down.value.down and agency.requests == [REQUEST] * 3  # the second never called it

"""An agency that keeps failing is left alone for a while, then tried again."""

from __future__ import annotations

import time

import pytest

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
    assert breakers.for_agency("kommun").submit(REQUEST).status == "done"  # others unaffected


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


def test_a_step_skipped_by_an_open_breaker_is_retried_as_transient() -> None:
    store = FakeStore([FakeStep("s1", "change-of-address", "skatteverket")])
    agency = ScriptedAgency("skatteverket", [AgencyTimeout("no answer")])
    breakers = Breakers(FakeAdapters(skatteverket=agency), fail_max=1, reset_s=3600)
    engine.advance(store, FakeDispatcher(), "case-1")
    policy = RetryPolicy(max_attempts=3)
    first = engine.run_step(store, breakers, "s1", policy)[1]
    second = engine.run_step(store, breakers, "s1", policy)[1]
    assert first is not None and second is not None  # both retried
    assert len(agency.requests) == 1  # the second attempt never reached the agency
    assert engine.run_step(store, breakers, "s1", policy)[1] is None
    assert store.steps["s1"].status == "failed"
    assert "not tried for up to 3600 s" in (store.steps["s1"].reason or "")


class DictBoard:
    """A board two `Breakers` share, as two worker processes share Redis."""

    def __init__(self) -> None:
        self.until: dict[str, float] = {}

    def open_until(self, agency: str) -> float | None:
        return self.until.get(agency)

    def opened(self, agency: str, until: float) -> None:
        self.until[agency] = until

    def closed(self, agency: str) -> None:
        self.until.pop(agency, None)


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
    assert second.for_agency("kommun").submit(REQUEST).status == "done"

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

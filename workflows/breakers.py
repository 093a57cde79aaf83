"""Circuit breakers per agency: an agency that keeps failing is left alone for a while.

When an agency's system is down, every attempt at one of its steps would otherwise wait for
the connection to fail or time out (10 s for an HTTP adapter), holding a worker process the
whole time, six quick attempts per step. After `fail_max` transient failures in a row, the
breaker opens: attempts at that agency are skipped, not made, for `reset_s`. Then one attempt
is let through (the trial); if it gets an answer, the breaker closes.

Flaky is not down: an agency that fails a third of its calls opens its breaker now and then,
and answers the next trial more often than not. So an attempt the breaker skipped is not one
of the step's quick attempts: the step waits for the trial (`RetryPolicy.at_trial`). Only once
`trials` trials in a row have failed does the agency count as down: a skipped attempt then
counts like a failure, and its steps go on to the schedule for an outage within seconds. An
answer closes the breaker, and the count of failed trials starts again.

Each worker process keeps its own breakers in memory (pybreaker), so nothing is added to a
step's round trips. With a `Board` (Redis, on every host), a process whose breaker opens
tells the others, which then skip the agency too until it is due for a trial, instead of each
finding the outage from failures of its own; it tells them too when the agency counts as down;
a trial that gets an answer clears it for all. A process reads the board at most once per
`Board`'s interval, not per step. An agency that answers, even with a refusal
(`PermanentError`), counts as reachable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

import pybreaker

from agencies import clock
from agencies.base import (
    AgencyAdapter,
    Receipt,
    SubmissionRequest,
    TransientError,
    WithdrawalRequest,
)

from .engine import AdapterLookup
from .retries import AgencyCircuitOpen as AgencyCircuitOpen  # its home was here

T = TypeVar("T")


class Board(Protocol):
    """Where the worker processes of every host tell each other of an agency's open breaker."""

    def open_until(self, agency: str) -> float | None:
        """Until when (Unix time) a process found `agency` failing, if one did; read anew at
        most once in a while, so that a step makes no round trip for it."""

    def opened(self, agency: str, until: float, down: bool = False) -> None:
        """This process's breaker for `agency` opened: the others skip it until `until`; and,
        when `down`, count the attempts they skip (its trials keep failing)."""

    def down(self, agency: str) -> bool:
        """A process found `agency` down (its trials keep failing) while its breaker is open,
        as last read."""

    def closed(self, agency: str) -> None:
        """This process got an answer from `agency` again: the others may call it now."""


class Breakers:
    """One breaker per agency, for the adapters of `source`.

    `fail_max` 0 switches them off. After `trials` failed trials in a row the agency counts
    as down (0: always, so every skipped attempt counts). `changed(agency, opened)` is called
    when a breaker opens (True) and when it closes again (False), for a metric and a log
    line. A `board` shares the openings with the other processes.
    """

    def __init__(
        self,
        source: AdapterLookup,
        fail_max: int = 5,
        reset_s: float = 30.0,
        changed: Callable[[str, bool], None] | None = None,
        board: Board | None = None,
        trials: int = 3,
    ) -> None:
        self.source = source
        self.fail_max = fail_max
        self.reset_s = reset_s
        self.changed = changed
        self.board = board
        self.trials = trials
        self._guarded: dict[str, AgencyAdapter] = {}

    def for_agency(self, agency: str) -> AgencyAdapter:
        """The adapter for `agency`, behind its breaker."""
        adapter = self.source.for_agency(agency)
        if self.fail_max <= 0:
            return adapter
        guarded = self._guarded.get(agency)
        if guarded is None or getattr(guarded, "adapter", None) is not adapter:
            watch = _Changed(self.changed, self.board, self.trials)
            breaker = self._breaker(agency, watch)
            guarded = self._guarded[agency] = GuardedAdapter(adapter, breaker, self.board, watch)
        return guarded

    def _breaker(self, agency: str, watch: _Changed) -> pybreaker.CircuitBreaker:
        return pybreaker.CircuitBreaker(
            fail_max=self.fail_max,
            reset_timeout=self.reset_s,
            exclude=[lambda error: not isinstance(error, TransientError)],  # it answered
            listeners=[watch],
            name=agency,
            throw_new_error_on_trip=False,  # the failure that opens it is reported as itself
        )


class GuardedAdapter(AgencyAdapter):
    """An agency's adapter whose calls go through its breaker."""

    def __init__(
        self,
        adapter: AgencyAdapter,
        breaker: pybreaker.CircuitBreaker,
        board: Board | None = None,
        watch: _Changed | None = None,
    ) -> None:
        super().__init__(adapter.agency)
        self.adapter = adapter
        self.breaker = breaker
        self.board = board
        if watch is None:  # a breaker of its own making: watch it here
            watch = _Changed(None, board)
            breaker.add_listener(watch)
        self.watch = watch

    def submit(self, request: SubmissionRequest) -> Receipt:
        """Submit, unless the breaker is open."""
        return self._call(self.adapter.submit, request)

    def withdraw(self, request: WithdrawalRequest) -> None:
        """Tell of a withdrawal, unless the breaker is open."""
        self._call(self.adapter.withdraw, request)

    def _call(self, call: Callable[[Any], T], request: Any) -> T:
        elsewhere = self._open_elsewhere()
        if elsewhere is not None:
            raise self._skipped(elsewhere)
        try:
            return self.breaker.call(call, request)
        except pybreaker.CircuitBreakerError:
            raise self._skipped(self.watch.trial_at) from None

    def _open_elsewhere(self) -> float | None:
        """Until when another process's breaker for this agency is open, if it is (this one's
        own, closed, has not seen the failures; open or on trial, it decides for itself)."""
        if self.board is None or self.breaker.current_state != pybreaker.STATE_CLOSED:
            return None
        until = self.board.open_until(self.agency)
        return until if until is not None and until > _now() else None

    def _skipped(self, trial_at: float) -> AgencyCircuitOpen:
        """The skip of an attempt, with when the breaker lets one through again."""
        times, reset_s = self.breaker.fail_max, float(self.breaker.reset_timeout)
        down = self.watch.down(self.agency)
        since = ", and its trials since failed too" if down and self.watch.trials > 0 else ""
        return AgencyCircuitOpen(
            f"{self.agency} is not tried for up to {reset_s:g} s: it failed {times} "
            f"time{'' if times == 1 else 's'} in a row just now{since}",
            trial_in_s=max(0.0, trial_at - _now()),
            reset_s=reset_s,
            down=down,
        )


class _Changed(pybreaker.CircuitBreakerListener):
    """Watches one agency's breaker: calls back when it opens, and when it closes again
    (half-open, with one trial under way, still counts as open); counts the trials that
    failed in a row; tells the board of each opening (a failed trial opens it again) and
    closing."""

    def __init__(
        self, changed: Callable[[str, bool], None] | None, board: Board | None, trials: int = 3
    ) -> None:
        self.changed = changed
        self.board = board
        self.trials = trials
        self.failed_trials = 0
        self.trial_at = 0.0  # when (Unix time) the open breaker lets one call through

    def down(self, agency: str) -> bool:
        """The agency counts as down: its trials keep failing, here or in another process."""
        if self.trials <= 0 or self.failed_trials >= self.trials:
            return True
        return self.board is not None and self.board.down(agency)

    def state_change(self, cb: Any, old_state: Any, new_state: Any) -> None:
        if new_state is None or old_state is None or new_state.name == old_state.name:
            return
        agency = str(cb.name)
        if new_state.name == pybreaker.STATE_OPEN:
            if old_state.name == pybreaker.STATE_HALF_OPEN:  # its trial failed
                self.failed_trials += 1
            self.trial_at = _now() + float(cb.reset_timeout)
            if self.board is not None:
                self.board.opened(agency, self.trial_at, self.down(agency))
            if self.changed and old_state.name == pybreaker.STATE_CLOSED:
                self.changed(agency, True)
        elif new_state.name == pybreaker.STATE_CLOSED:
            self.failed_trials = 0
            if self.board is not None:
                self.board.closed(agency)
            if self.changed:
                self.changed(agency, False)


def _now() -> float:
    """This moment as Unix time, by the service's one clock (which tests move)."""
    return clock.now().timestamp()

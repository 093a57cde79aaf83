"""Circuit breakers per agency: an agency that keeps failing is left alone for a while.

When an agency's system is down, every attempt at one of its steps would otherwise wait for
the connection to fail or time out (10 s for an HTTP adapter), holding a worker process the
whole time, six quick attempts per step. After `fail_max` transient failures in a row, the
breaker opens: attempts at that agency fail at once, as transient, for `reset_s`, and the
retry policy goes on as for any transient failure (quick retries, then scheduled ones). Then
one attempt is let through; if it gets an answer, the breaker closes.

Each worker process keeps its own breakers in memory (pybreaker), so nothing is added to a
step's round trips. With a `Board` (Redis, on every host), a process whose breaker opens
tells the others, which then skip the agency too until it is due for a trial, instead of each
finding the outage from failures of its own; a trial that gets an answer clears it for all.
A process reads the board at most once per `Board`'s interval, not per step. An agency that
answers, even with a refusal (`PermanentError`), counts as reachable.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

import pybreaker

from agencies.base import (
    AgencyAdapter,
    Receipt,
    SubmissionRequest,
    TransientError,
    WithdrawalRequest,
)

from .engine import AdapterLookup

T = TypeVar("T")


class AgencyCircuitOpen(TransientError):
    """The agency failed too often just now: the attempt was not made."""


class Board(Protocol):
    """Where the worker processes of every host tell each other of an agency's open breaker."""

    def open_until(self, agency: str) -> float | None:
        """Until when (Unix time) a process found `agency` failing, if one did; read anew at
        most once in a while, so that a step makes no round trip for it."""

    def opened(self, agency: str, until: float) -> None:
        """This process's breaker for `agency` opened: the others skip it until `until`."""

    def closed(self, agency: str) -> None:
        """This process got an answer from `agency` again: the others may call it now."""


class Breakers:
    """One breaker per agency, for the adapters of `source`.

    `fail_max` 0 switches them off. `changed(agency, opened)` is called when a breaker opens
    (True) and when it closes again (False), for a metric and a log line. A `board` shares
    the openings with the other processes.
    """

    def __init__(
        self,
        source: AdapterLookup,
        fail_max: int = 5,
        reset_s: float = 30.0,
        changed: Callable[[str, bool], None] | None = None,
        board: Board | None = None,
    ) -> None:
        self.source = source
        self.fail_max = fail_max
        self.reset_s = reset_s
        self.changed = changed
        self.board = board
        self._guarded: dict[str, AgencyAdapter] = {}

    def for_agency(self, agency: str) -> AgencyAdapter:
        """The adapter for `agency`, behind its breaker."""
        adapter = self.source.for_agency(agency)
        if self.fail_max <= 0:
            return adapter
        guarded = self._guarded.get(agency)
        if guarded is None or getattr(guarded, "adapter", None) is not adapter:
            breaker = self._breaker(agency)
            guarded = self._guarded[agency] = GuardedAdapter(adapter, breaker, self.board)
        return guarded

    def _breaker(self, agency: str) -> pybreaker.CircuitBreaker:
        listeners = [_Changed(self.changed, self.board, self.reset_s)]
        return pybreaker.CircuitBreaker(
            fail_max=self.fail_max,
            reset_timeout=self.reset_s,
            exclude=[lambda error: not isinstance(error, TransientError)],  # it answered
            listeners=listeners,
            name=agency,
            throw_new_error_on_trip=False,  # the failure that opens it is reported as itself
        )


class GuardedAdapter(AgencyAdapter):
    """An agency's adapter whose calls go through its breaker."""

    def __init__(
        self, adapter: AgencyAdapter, breaker: pybreaker.CircuitBreaker, board: Board | None = None
    ) -> None:
        super().__init__(adapter.agency)
        self.adapter = adapter
        self.breaker = breaker
        self.board = board

    def submit(self, request: SubmissionRequest) -> Receipt:
        """Submit, unless the breaker is open."""
        return self._call(self.adapter.submit, request)

    def withdraw(self, request: WithdrawalRequest) -> None:
        """Tell of a withdrawal, unless the breaker is open."""
        self._call(self.adapter.withdraw, request)

    def _call(self, call: Callable[[Any], T], request: Any) -> T:
        if self._open_elsewhere():
            raise self._skipped()
        try:
            return self.breaker.call(call, request)
        except pybreaker.CircuitBreakerError:
            raise self._skipped() from None

    def _open_elsewhere(self) -> bool:
        """Another process's breaker for this agency is open (this one's own, closed, has not
        seen the failures; open or on trial, it decides for itself)."""
        if self.board is None or self.breaker.current_state != pybreaker.STATE_CLOSED:
            return False
        until = self.board.open_until(self.agency)
        return until is not None and until > time.time()

    def _skipped(self) -> AgencyCircuitOpen:
        times = self.breaker.fail_max
        return AgencyCircuitOpen(
            f"{self.agency} is not tried for up to {self.breaker.reset_timeout:g} s: it "
            f"failed {times} time{'' if times == 1 else 's'} in a row just now"
        )


class _Changed(pybreaker.CircuitBreakerListener):
    """Calls back when a breaker opens, and when it closes again (half-open, with one trial
    under way, still counts as open); tells the board of each opening (a failed trial opens
    it again) and closing."""

    def __init__(
        self, changed: Callable[[str, bool], None] | None, board: Board | None, reset_s: float
    ) -> None:
        self.changed = changed
        self.board = board
        self.reset_s = reset_s

    def state_change(self, cb: Any, old_state: Any, new_state: Any) -> None:
        if new_state is None or old_state is None or new_state.name == old_state.name:
            return
        agency = str(cb.name)
        if new_state.name == pybreaker.STATE_OPEN:
            if self.board is not None:
                self.board.opened(agency, time.time() + self.reset_s)
            if self.changed and old_state.name == pybreaker.STATE_CLOSED:
                self.changed(agency, True)
        elif new_state.name == pybreaker.STATE_CLOSED:
            if self.board is not None:
                self.board.closed(agency)
            if self.changed:
                self.changed(agency, False)

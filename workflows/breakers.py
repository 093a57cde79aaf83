"""Circuit breakers per agency: an agency that keeps failing is left alone for a while.

When an agency's system is down, every attempt at one of its steps would otherwise wait for
the connection to fail or time out (10 s for an HTTP adapter), holding a worker process the
whole time, six quick attempts per step. After `fail_max` transient failures in a row, the
breaker opens: attempts at that agency fail at once, as transient, for `reset_s`, and the
retry policy goes on as for any transient failure (quick retries, then scheduled ones). Then
one attempt is let through; if it gets an answer, the breaker closes.

Each worker process keeps its own breakers in memory (pybreaker), so nothing is added to a
step's round trips; every process learns of an outage from its own attempts. An agency that
answers, even with a refusal (`PermanentError`), counts as reachable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

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


class Breakers:
    """One breaker per agency, for the adapters of `source`.

    `fail_max` 0 switches them off. `changed(agency, opened)` is called when a breaker opens
    (True) and when it closes again (False), for a metric and a log line.
    """

    def __init__(
        self,
        source: AdapterLookup,
        fail_max: int = 5,
        reset_s: float = 30.0,
        changed: Callable[[str, bool], None] | None = None,
    ) -> None:
        self.source = source
        self.fail_max = fail_max
        self.reset_s = reset_s
        self.changed = changed
        self._guarded: dict[str, AgencyAdapter] = {}

    def for_agency(self, agency: str) -> AgencyAdapter:
        """The adapter for `agency`, behind its breaker."""
        adapter = self.source.for_agency(agency)
        if self.fail_max <= 0:
            return adapter
        guarded = self._guarded.get(agency)
        if guarded is None or getattr(guarded, "adapter", None) is not adapter:
            guarded = self._guarded[agency] = GuardedAdapter(adapter, self._breaker(agency))
        return guarded

    def _breaker(self, agency: str) -> pybreaker.CircuitBreaker:
        listeners = [_Changed(self.changed)] if self.changed else []
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

    def __init__(self, adapter: AgencyAdapter, breaker: pybreaker.CircuitBreaker) -> None:
        super().__init__(adapter.agency)
        self.adapter = adapter
        self.breaker = breaker

    def submit(self, request: SubmissionRequest) -> Receipt:
        """Submit, unless the breaker is open."""
        return self._call(self.adapter.submit, request)

    def withdraw(self, request: WithdrawalRequest) -> None:
        """Tell of a withdrawal, unless the breaker is open."""
        self._call(self.adapter.withdraw, request)

    def _call(self, call: Callable[[Any], T], request: Any) -> T:
        try:
            return self.breaker.call(call, request)
        except pybreaker.CircuitBreakerError:
            times = self.breaker.fail_max
            raise AgencyCircuitOpen(
                f"{self.agency} is not tried for up to {self.breaker.reset_timeout:g} s: it "
                f"failed {times} time{'' if times == 1 else 's'} in a row just now"
            ) from None


class _Changed(pybreaker.CircuitBreakerListener):
    """Calls back when a breaker opens, and when it closes again (half-open, with one trial
    under way, still counts as open)."""

    def __init__(self, changed: Callable[[str, bool], None]) -> None:
        self.changed = changed

    def state_change(self, cb: Any, old_state: Any, new_state: Any) -> None:
        if new_state is None or old_state is None or new_state.name == old_state.name:
            return
        if new_state.name == pybreaker.STATE_OPEN and old_state.name == pybreaker.STATE_CLOSED:
            self.changed(str(cb.name), True)
        elif new_state.name == pybreaker.STATE_CLOSED:
            self.changed(str(cb.name), False)

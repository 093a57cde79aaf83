"""The workflows' store as a worker uses it: each step's outcome counted and timed by agency,
its retries counted, and its ids bound to the log context while it runs."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from contactpoint.platform.observability.logs import bind
from contactpoint.platform.observability.metrics import (
    QUEUE_WAIT_SECONDS,
    RETRIES,
    STEP_SECONDS,
    STEPS,
)


class MeteredStore:
    """The workflows' store, counting outcomes and timing steps on the way through."""

    def __init__(self, store: Any, agency_of: Any) -> None:
        self._store = store
        self._agency_of = agency_of
        self._started: dict[str, tuple[str, float]] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def begin_step(self, step_id: str) -> Any:
        """Start the clock for the step, bind its ids to the log context, and note how long
        its first attempt waited in its agency's queue."""
        work = self._store.begin_step(step_id)
        if work is not None:
            self._started[step_id] = (work.agency, time.monotonic())
            bind(case_id=work.case_id, step_id=step_id, agency=work.agency)
            if work.attempt == 1 and work.sent_at and work.began_at:  # a retry waited on purpose
                waited = (work.began_at - work.sent_at).total_seconds()
                QUEUE_WAIT_SECONDS.labels(agency=work.agency).observe(max(waited, 0.0))
        return work

    def _outcome(self, step_id: str, outcome: str) -> None:
        agency, began = self._started.pop(step_id, (None, None))
        agency = agency or self._agency_of(step_id)
        STEPS.labels(agency=agency, outcome=outcome).inc()
        if began is not None:
            STEP_SECONDS.labels(agency=agency).observe(time.monotonic() - began)

    def step_done(
        self, step_id: str, reference: str, outputs: Mapping[str, Any], message: str
    ) -> None:
        """Record the step and count it done."""
        self._store.step_done(step_id, reference, outputs, message)
        self._outcome(step_id, "done")

    def step_waiting(self, step_id: str, ball: str, reference: str, message: str) -> None:
        """Record the step and count it waiting."""
        self._store.step_waiting(step_id, ball, reference, message)
        self._outcome(step_id, "waiting")

    def step_failed(self, step_id: str, reason: str) -> None:
        """Record the step and count it failed."""
        self._store.step_failed(step_id, reason)
        self._outcome(step_id, "failed")

    def step_retrying(
        self,
        step_id: str,
        reason: str,
        delay_s: float,
        scheduled: bool = False,
        counted: bool = True,
    ) -> None:
        """Record the retry and count it."""
        self._store.step_retrying(step_id, reason, delay_s, scheduled, counted)
        agency = self._started.get(step_id, (None, 0.0))[0] or self._agency_of(step_id)
        RETRIES.labels(agency=agency).inc()
        self._started.pop(step_id, None)

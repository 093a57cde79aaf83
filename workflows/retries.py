"""When to try an unreachable agency again: the retry policy shared by steps and withdrawals."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from agencies.base import TransientError
from agencies.catalogue import AGENCIES


class AgencyCircuitOpen(TransientError):
    """The agency failed too often just now: its breaker is open and the attempt was not made.

    `trial_in_s` is when, from now, the breaker lets a call through again (its trial), and
    `reset_s` how long it leaves the agency alone each time. Until the breaker's trials keep
    failing the agency is flaky, not `down`: a step's attempt skipped then is not one of its
    quick attempts, and the step waits for the trial (`RetryPolicy.at_trial`). Once it is
    `down`, a skipped attempt counts like any failure, and its steps go on to the schedule
    for an outage.
    """

    def __init__(
        self, message: str, trial_in_s: float = 0.0, reset_s: float = 0.0, down: bool = True
    ) -> None:
        super().__init__(message)
        self.trial_in_s = trial_in_s
        self.reset_s = reset_s
        self.down = down


@dataclass(frozen=True)
class Retry:
    """The step should be tried again after `delay_s` seconds.

    A `scheduled` retry waits in the database (the step's `retry_at`) and recovery sends it
    when it is due; the others wait in the broker, as a Celery retry. A retry not `counted`
    follows an attempt that was not made: the step's attempts stay as they were.
    """

    delay_s: float
    scheduled: bool = False
    counted: bool = True


@dataclass(frozen=True)
class RetryPolicy:
    """When to try an unreachable agency again, and when to give up.

    First, quick attempts: exponential backoff with jitter, up to the agency's own number of
    attempts within `max_attempts` (15 to 31 s in all at the defaults). Then, for an agency
    that stays down, an attempt every half to whole `outage_every_s` for about
    `outage_for_s`: an outage of hours is ridden out without a person sending anything
    again, and without holding a message in the broker or a worker for that long.
    """

    max_attempts: int = 6
    base_delay_s: float = 1.0
    max_delay_s: float = 60.0
    outage_for_s: float = 0.0
    outage_every_s: float = 600.0

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds to wait before attempt number `attempt + 1`, among the quick attempts."""
        ceiling = min(self.max_delay_s, self.base_delay_s * 2 ** max(attempt - 1, 0))
        return (rng or random).uniform(ceiling / 2, ceiling)

    def attempts_for(self, agency: str) -> int:
        """How many quick attempts `agency` gets: its own retry limit, within this policy's."""
        known = AGENCIES.get(agency)
        return min(self.max_attempts, known.max_retries + 1) if known else self.max_attempts

    @property
    def outage_attempts(self) -> int:
        """How many scheduled attempts follow the quick ones: as many as fit, on average,
        in `outage_for_s`."""
        if self.outage_for_s <= 0:
            return 0
        return math.ceil(self.outage_for_s / (0.75 * self.outage_every_s))

    def scheduled_after(self, elapsed_s: float, rng: random.Random | None = None) -> Retry | None:
        """After a scheduled attempt failed, `elapsed_s` into the outage: the next, or None
        once `outage_for_s` has passed (for what counts its time, not its attempts)."""
        return self._scheduled(rng) if elapsed_s < self.outage_for_s else None

    def after(self, attempt: int, agency: str, rng: random.Random | None = None) -> Retry | None:
        """The retry owed after attempt number `attempt` found `agency` unreachable, or None
        when every attempt is spent."""
        quick = self.attempts_for(agency)
        if attempt < quick:
            return Retry(self.delay(attempt, rng))
        if attempt < quick + self.outage_attempts:
            return self._scheduled(rng)
        return None

    def at_trial(
        self, trial_in_s: float, reset_s: float, rng: random.Random | None = None
    ) -> Retry:
        """The retry of a step whose attempt an open breaker skipped while its agency is not
        down: not counted, at the breaker's next trial, `trial_in_s` from now, plus up to
        half its `reset_s`, so that the steps waiting for the trial do not all come at once
        and most come once its answer is known. A wait longer than the longest quick delay
        waits in the database."""
        delay = max(0.0, trial_in_s) + (rng or random).uniform(0, max(0.0, reset_s) / 2)
        return Retry(delay, scheduled=delay > self.max_delay_s, counted=False)

    def _scheduled(self, rng: random.Random | None) -> Retry:
        """A scheduled retry, half to all of `outage_every_s` away."""
        every = self.outage_every_s
        return Retry((rng or random).uniform(every / 2, every), scheduled=True)


# The policy a caller gets when it names none (the runtime may hold another).
DEFAULT_POLICY = RetryPolicy()

"""Simulated agency systems: they take time, sometimes fail, and keep a ledger of what arrived."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from dataclasses import dataclass

from . import clock
from .base import (
    AgencyAdapter,
    AgencyTimeout,
    Receipt,
    SubmissionRequest,
    TransientError,
    WithdrawalRequest,
)
from .catalogue import AGENCIES
from .issued import issued
from .sandbox import Ledger

COMPLEMENT_QUESTION = (
    "Vi behöver veta mer: från vilket datum gäller ändringen, och finns det något mer vi bör "
    "känna till? / We need to know more: from which date does the change apply, and is there "
    "anything else we should know?"
)


@dataclass(frozen=True)
class Behaviour:
    """How a simulated agency behaves: the chaos knobs of the sandbox."""

    latency_ms: float = 0.0
    failure_rate: float = 0.0
    timeout_rate: float = 0.0
    complement_rate: float = 0.0


def reference_for(agency: str, idempotency_key: str, today: dt.date | None = None) -> str:
    """A readable reference number, the same for the same submission."""
    year = (today or clock.today()).year
    digest = hashlib.sha256(f"{agency}:{idempotency_key}".encode()).hexdigest()[:8].upper()
    return f"{AGENCIES[agency].reference_prefix}-{year}-{digest}"


class SimulatedAgency(AgencyAdapter):
    """An agency system that lives in the sandbox: idempotent by the submission's key."""

    def __init__(
        self,
        agency: str,
        ledger: Ledger,
        behaviour: Behaviour | None = None,
        rng: random.Random | None = None,
    ) -> None:
        super().__init__(agency)
        self.ledger = ledger
        self.behaviour = behaviour or Behaviour()
        self.rng = rng or random.Random()

    def submit(self, request: SubmissionRequest) -> Receipt:
        """Receive a submission: register it once, answer with a reference or wait for a person."""
        behaviour = self.behaviour
        if behaviour.latency_ms:
            time.sleep(self.rng.uniform(0.5, 1.5) * behaviour.latency_ms / 1000)
        if self.rng.random() < behaviour.failure_rate:
            raise TransientError(f"{self.agency} is temporarily unavailable")
        reference, _times = self.ledger.record(
            self.agency, request, reference_for(self.agency, request.idempotency_key)
        )
        if self.rng.random() < behaviour.timeout_rate:
            # Received, but the answer never reaches the caller: the retry must not register twice.
            raise AgencyTimeout(f"{self.agency} did not answer in time")
        if request.complement is None and self.rng.random() < behaviour.complement_rate:
            return Receipt(status="complement", reference=reference, question=COMPLEMENT_QUESTION)
        if request.manual:
            return Receipt(status="waiting", reference=reference)
        outputs = issued(AGENCIES[self.agency].issues, request.idempotency_key)
        return Receipt(status="done", reference=reference, outputs=outputs)

    def withdraw(self, request: WithdrawalRequest) -> None:
        """Take a withdrawal once, with the same delays and faults as a submission."""
        if self.behaviour.latency_ms:
            time.sleep(self.rng.uniform(0.5, 1.5) * self.behaviour.latency_ms / 1000)
        if self.rng.random() < self.behaviour.failure_rate:
            raise TransientError(f"{self.agency} is temporarily unavailable")
        self.ledger.record_withdrawal(self.agency, request)

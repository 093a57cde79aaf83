"""Recovery: whatever a crash, a lost message or a broker outage left behind is driven again.

Four sweeps, each safe to run twice or side by side (every change is a conditional update):
the outbox (cases stored but never started, or not advanced after a step ended), retries due
(a step whose agency stayed unreachable, tried again on schedule), stuck steps (an attempt
that outlived its lease, a message that never reached a worker), and withdrawals that were
due but never sent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from .engine import advance, case_outcome, ready_steps, send
from .store import Dispatcher, Store

log = logging.getLogger(__name__)


@dataclass
class Recovered:
    """What one recovery pass did, by id."""

    advanced: list[str] = field(default_factory=list)
    retried: list[str] = field(default_factory=list)
    requeued: list[str] = field(default_factory=list)
    withdrawals: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        """Counts, for the task's log line."""
        return {name: len(ids) for name, ids in vars(self).items()}


def relay_outbox(store: Store, dispatcher: Dispatcher, limit: int = 200) -> list[str]:
    """Advance open cases that have a ready step nobody sent, or that should be closed."""
    advanced = []
    for case_id in store.stalled_cases(limit):
        state = store.case_state(case_id)
        if state is None:
            continue
        ready, blocked = ready_steps(state)
        if ready or blocked or case_outcome(state):
            advance(store, dispatcher, case_id)
            advanced.append(case_id)
    return advanced


def requeue_stuck_steps(store: Store, dispatcher: Dispatcher, limit: int = 200) -> list[str]:
    """Send again the steps whose attempt outlived its lease or whose message was lost."""
    requeued = []
    for step_id in store.stuck_steps(limit):
        claimed = store.requeue_step(step_id)
        if claimed is None:
            continue
        _case_id, agency = claimed
        try:
            dispatcher.dispatch([(step_id, agency)])
        except Exception:
            store.release_dispatch([step_id])
            raise
        requeued.append(step_id)
    return requeued


def send_due_retries(store: Store, dispatcher: Dispatcher, limit: int = 200) -> list[str]:
    """Send the steps whose scheduled retry is due, `limit` at a time, until none is left.

    After an agency's outage there may be thousands; each batch is one statement and one
    producer connection, and a batch whose send fails is left to the outbox sweep.
    """
    sent: list[str] = []
    while True:
        due = store.claim_due_retries(limit)
        if not due:
            return sent
        send(store, dispatcher, due)
        sent += [step_id for step_id, _agency in due]
        if len(due) < limit:
            return sent


def recover(store: Store, dispatcher: Dispatcher, limit: int = 200) -> Recovered:
    """One recovery pass: outbox, retries due, stuck steps, withdrawals."""
    done = Recovered()
    done.advanced = relay_outbox(store, dispatcher, limit)
    done.retried = send_due_retries(store, dispatcher, limit)
    done.requeued = requeue_stuck_steps(store, dispatcher, limit)
    due = store.withdrawals_due(limit)
    if due:
        dispatcher.dispatch_withdrawals(due)
        done.withdrawals = [step_id for step_id, _agency in due]
    if any(done.as_dict().values()):
        log.info("recovery: %s", done.as_dict())
    return done

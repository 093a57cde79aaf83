"""Advance a case: run a step through its agency's adapter, then dispatch what is now ready.

Nothing waits in Celery: a step that waits for a person holds no task, and whatever changes
its state calls `advance` again.
"""

from __future__ import annotations

import logging
from typing import Protocol

from agencies.base import (
    AgencyAdapter,
    PermanentError,
    Receipt,
    SubmissionRequest,
    TransientError,
)

from .corrections.keys import corrected_key
from .messages import decision_message
from .representation import acting_for_company
from .retries import DEFAULT_POLICY, AgencyCircuitOpen, Retry, RetryPolicy
from .rules import field_values
from .statuses import (  # BLOCKING_, FINISHED_STATUSES and DEPENDENCY_FAILED lived here
    BLOCKING_STATUSES,
    CLOSED_CASE_STATUSES,
    DEPENDENCY_FAILED,
    FINISHED_STATUSES,
    TERMINAL_STEP_STATUSES,
    Ball,
    CaseStatus,
    StepStatus,
)
from .store import CaseState, Decision, Dispatcher, StepWork, Store

log = logging.getLogger(__name__)


class AdapterLookup(Protocol):
    """Finds the adapter for an agency."""

    def for_agency(self, agency: str) -> AgencyAdapter:
        """The adapter in use for `agency`."""


def ready_steps(state: CaseState) -> tuple[list[str], list[str]]:
    """Steps that may go now, and steps that never can because a dependency failed."""
    by_key = {step.key: step for step in state.steps}
    ready, blocked = [], []
    for step in state.steps:
        if step.status != StepStatus.PENDING or step.dispatched:
            continue
        statuses = [by_key[key].status for key in step.depends_on if key in by_key]
        if any(status in BLOCKING_STATUSES for status in statuses):
            blocked.append(step.id)
        elif all(status in FINISHED_STATUSES for status in statuses):
            ready.append(step.id)
    return ready, blocked


def case_outcome(state: CaseState) -> CaseStatus | None:
    """The case's final status once every step has ended, else None."""
    if not all(step.status in TERMINAL_STEP_STATUSES for step in state.steps):
        return None
    if any(step.status in BLOCKING_STATUSES for step in state.steps):
        return CaseStatus.DONE_WITH_PROBLEMS
    return CaseStatus.DONE


def opening(state: CaseState) -> tuple[list[str], CaseStatus]:
    """How a new case starts: the steps that go at once, and the status it is stored with.

    A case is in progress once a step of it is sent; a new case has nothing failed to block on.
    """
    ready, _blocked = ready_steps(state)
    return ready, CaseStatus.IN_PROGRESS if ready else CaseStatus.RECEIVED


def settle(store: Store, case_id: str, state: CaseState | None = None) -> list[tuple[str, str]]:
    """Cancel what can never run, claim what is ready, close the case once every step ended.

    Call it inside `store.atomic()` (with the change that made steps ready, where there is
    one); returns the claimed (step id, agency) pairs, for `send` once that has committed.
    A `state` given is the case as this transaction wrote it (a new case): not read again.
    """
    while True:
        state = state or store.case_state(case_id)
        if state is None or state.status in CLOSED_CASE_STATUSES:
            return []
        ready, blocked = ready_steps(state)
        if not blocked:
            break
        store.cancel_steps(blocked, DEPENDENCY_FAILED)
        state = None
    agencies = {step.id: step.agency for step in state.steps}
    start = state.status == CaseStatus.RECEIVED
    claimed = store.claim_for_dispatch(ready, start_case=start) if ready else []
    outcome = case_outcome(state)
    if outcome:
        store.close_case(case_id, outcome)
    return [(step_id, agencies[step_id]) for step_id in claimed]


def send(store: Store, dispatcher: Dispatcher, steps: list[tuple[str, str]]) -> list[str]:
    """Put claimed steps on their agencies' queues; a failed send frees them for the sweep."""
    if not steps:
        return []
    step_ids = [step_id for step_id, _agency in steps]
    try:
        dispatcher.dispatch(steps)
    except Exception:
        store.release_dispatch(step_ids)
        raise
    return step_ids


def advance(store: Store, dispatcher: Dispatcher, case_id: str) -> list[str]:
    """Dispatch the steps of a case that are ready; close it when all have ended."""
    with store.atomic():
        steps = settle(store, case_id)
    return send(store, dispatcher, steps)


def run_step(
    store: Store,
    adapters: AdapterLookup,
    step_id: str,
    policy: RetryPolicy = DEFAULT_POLICY,
    dispatcher: Dispatcher | None = None,
) -> tuple[str | None, Retry | None]:
    """Submit one step to its agency and record the answer; return its case and any retry.

    With a `dispatcher` the case advances too: the answer and the steps it makes ready are
    one transaction, and those steps are sent once it has committed.
    """
    work = store.begin_step(step_id)
    if work is None:
        return None, None
    values = field_values(work.fields, work.answers, work.person, work.produced)
    corrects = corrected_key(work.key)  # a correction: the agency knows the step it corrects
    request = SubmissionRequest(
        agency=work.agency,
        idempotency_key=work.idempotency_key,
        case_id=work.case_id,
        step_id=work.step_id,
        step=corrects or work.key,
        kind="correction" if corrects else "submission",
        life_event=work.life_event,
        fields=values,
        on_behalf_of=work.on_behalf_of,
        acting=acting_for_company(
            work.on_behalf_of, work.acting_basis, work.person.get("personal_number")
        ),
        manual=work.manual,
        complement=work.complement,
    )
    try:
        answer: Receipt | Exception = adapters.for_agency(work.agency).submit(request)
    except (TransientError, PermanentError) as error:
        answer = error
    ready: list[tuple[str, str]] = []
    with store.atomic():
        if work.attempt == 1:  # the start's line goes with the answer: one transaction
            store.step_started(work)
        retry = _record(store, work, sorted(values), answer, policy)
        if dispatcher is not None and retry is None:
            ready = settle(store, work.case_id)
    if dispatcher is not None:
        send(store, dispatcher, ready)
    return work.case_id, retry


def _record(
    store: Store,
    work: StepWork,
    fields: list[str],
    answer: Receipt | Exception,
    policy: RetryPolicy,
) -> Retry | None:
    """Record the agency's answer (or its failure) on the step; a retry if one is due."""
    step_id = work.step_id
    if isinstance(answer, TransientError):
        retry = _retry_after(work, answer, policy)
        if retry is None:
            reason = f"{work.agency} could not be reached after {work.attempt} attempts: {answer}"
            store.step_failed(step_id, reason)
            return None
        store.step_retrying(
            step_id, str(answer), retry.delay_s, scheduled=retry.scheduled, counted=retry.counted
        )
        return retry
    if isinstance(answer, Exception):
        store.step_failed(step_id, str(answer))
        return None
    store.record_share(work, fields, answer.reference)
    if answer.status == "done":
        store.step_done(step_id, answer.reference, answer.outputs, answer.message)
    else:
        store.step_waiting(step_id, Ball.AGENCY, answer.reference, answer.message)
    if answer.status == "complement":  # the agency asks the citizen first: ball to the citizen
        question = answer.question or "The agency needs more information from you."
        actor = f"agency:{work.agency}"
        asked = Decision("complement", actor=actor, question=question)
        if store.apply_decision(step_id, asked) is not None:
            store.post_messages([decision_message(step_id, asked)])
    log.info("step %s of case %s: %s", step_id, work.case_id, answer.status)
    return None


def _retry_after(work: StepWork, error: TransientError, policy: RetryPolicy) -> Retry | None:
    """The retry owed after a transient failure: an attempt that an open breaker skipped,
    while its agency is not down, is not counted and waits for the breaker's trial; any
    other counts as one of the step's attempts."""
    if isinstance(error, AgencyCircuitOpen) and not error.down:
        return policy.at_trial(error.trial_in_s, error.reset_s)
    return policy.after(work.attempt, work.agency)


class DecisionError(ValueError):
    """A decision is missing what it needs (a reason to reject, a question to ask)."""


def decide(store: Store, dispatcher: Dispatcher, step_id: str, decision: Decision) -> bool:
    """Apply a decision to a step waiting for its agency, write the person's message about
    it, and advance the case.

    Returns False when the step is not waiting for its agency (already decided, say), so a
    replayed decision changes nothing.
    """
    if decision.kind == "reject" and not (decision.reason or "").strip():
        raise DecisionError("a rejection needs a reason the citizen can read")
    if decision.kind == "complement" and not (decision.question or "").strip():
        raise DecisionError("a complement request needs a question for the citizen")
    with store.atomic():  # the decision and the message it makes: one transaction
        case_id = store.apply_decision(step_id, decision)
        if case_id is not None:
            store.post_messages([decision_message(step_id, decision)])
    if case_id is None:
        return False
    advance_or_leave_to_recovery(store, dispatcher, case_id)
    return True


def advance_or_leave_to_recovery(store: Store, dispatcher: Dispatcher, case_id: str) -> None:
    """Advance after a person acted; if the broker is down, the recovery sweep advances later.

    The person's action is already stored, so a broker outage must not look like its failure.
    """
    try:
        advance(store, dispatcher, case_id)
    except Exception:  # the broker is unreachable: the outbox sweep sends what is ready
        log.warning("case %s: could not dispatch now; recovery will advance it", case_id)


def answer_complement(
    store: Store, dispatcher: Dispatcher, step_id: str, answer: str, actor: str
) -> bool:
    """The citizen answered the agency's question: the ball goes back to the agency."""
    if not answer.strip():
        raise DecisionError("the answer is empty")
    case_id = store.apply_complement_answer(step_id, answer.strip(), actor)
    if case_id is None:
        return False
    advance_or_leave_to_recovery(store, dispatcher, case_id)
    return True


def retry_failed_step(store: Store, dispatcher: Dispatcher, step_id: str, actor: str) -> bool:
    """Try a failed step again (a supervisor's action); the steps after it resume too."""
    case_id = store.reopen_failed_step(step_id, actor)
    if case_id is None:
        return False
    advance_or_leave_to_recovery(store, dispatcher, case_id)
    return True

"""Withdrawing a case: steps not started are cancelled, agencies that have a step are told."""

from __future__ import annotations

import datetime as dt
import logging

from agencies.base import PermanentError, TransientError, WithdrawalRequest

from .engine import AdapterLookup
from .retries import DEFAULT_POLICY, Retry, RetryPolicy
from .statuses import WITHDRAWN as WITHDRAWN  # its old home
from .store import Dispatcher, Store, WithdrawalWork

log = logging.getLogger(__name__)


def withdraw(store: Store, dispatcher: Dispatcher, case_id: str, actor: str) -> bool:
    """Withdraw an open case; False if it has already finished or been withdrawn."""
    to_tell = store.withdraw_case(case_id, actor)
    if to_tell is None:
        return False
    if to_tell:
        try:
            dispatcher.dispatch_withdrawals(to_tell)
        except Exception:  # the broker is down: recovery sends the withdrawals later
            log.warning("case %s withdrawn; agencies will be told when the broker is back", case_id)
    return True


def tell_agency(
    store: Store,
    adapters: AdapterLookup,
    step_id: str,
    attempt: int = 1,
    policy: RetryPolicy = DEFAULT_POLICY,
) -> Retry | None:
    """Send the withdrawal of one step to its agency, once; a retry if the agency is down.

    While an attempt at the step itself still runs, nothing is sent: recovery sends the
    withdrawal once that attempt has ended, so the withdrawal always follows the submission.
    """
    work = store.begin_withdrawal(step_id)
    if work is None or work.busy:
        return None
    request = WithdrawalRequest(
        agency=work.agency,
        idempotency_key=f"{work.step_id}-withdrawal",
        case_id=work.case_id,
        step_id=work.step_id,
        step=work.key,
        life_event=work.life_event,
        reference=work.reference,
    )
    try:
        adapters.for_agency(work.agency).withdraw(request)
    except TransientError as error:
        retry = _next_try(work, attempt, policy)
        if retry is None:
            store.withdrawal_finished(step_id, f"{work.agency} could not be reached: {error}")
        elif retry.scheduled:
            store.withdrawal_retry_scheduled(step_id, retry.delay_s)
        return retry
    except PermanentError as error:
        store.withdrawal_finished(step_id, str(error))
        return None
    store.withdrawal_finished(step_id)
    log.info("step %s of case %s: withdrawal sent", step_id, work.case_id)
    return None


def _next_try(work: WithdrawalWork, attempt: int, policy: RetryPolicy) -> Retry | None:
    """The retry after a failed attempt to tell the agency, as for a step: quick ones first,
    then scheduled ones for as long as the policy rides out an outage, counted from the
    withdrawal (a scheduled attempt comes from recovery, which keeps no count of attempts)."""
    if not work.scheduled:
        return policy.after(attempt, work.agency)
    since = work.since or dt.datetime.now(dt.UTC)
    return policy.scheduled_after((dt.datetime.now(dt.UTC) - since).total_seconds())

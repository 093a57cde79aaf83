"""Carrying a correction out: the answers change, each correction goes as a step of its own,
new steps start and steps that no longer apply are withdrawn, all in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from ..engine import send, settle
from ..lifeevents import catalogue
from ..statuses import CaseStatus
from ..store import Dispatcher, Store
from .plan import CorrectionPlan, plan_correction

log = logging.getLogger(__name__)

WITHDRAWN_CASE = "The case was withdrawn: there is nothing to correct."
PREVIEW_CHANGED = "What the correction would send has changed since you checked it: look again."


class CorrectionRefused(ValueError):
    """The case cannot be corrected (withdrawn, gone) or the preview no longer holds."""


def preview(store: Store, case_id: str, changes: Mapping[str, Any]) -> CorrectionPlan:
    """What correcting `changes` in the case would mean; its `errors` say what to put right."""
    sent = store.correction_basis(case_id)
    if sent is None:
        raise CorrectionRefused("There is no such case.")
    if sent.status == CaseStatus.WITHDRAWN:
        raise CorrectionRefused(WITHDRAWN_CASE)
    return plan_correction(catalogue()[sent.life_event], sent.answers, changes, sent.steps)


def correct(
    store: Store,
    dispatcher: Dispatcher,
    case_id: str,
    changes: Mapping[str, Any],
    actor: str,
    digest: str | None = None,
) -> CorrectionPlan:
    """Correct the case: store the plan, then send what it makes ready and its withdrawals.

    A plan with errors is returned as it is and nothing changes; with a `digest` (the preview
    the citizen saw), a plan that differs from it is refused.
    """
    plan = preview(store, case_id, changes)
    if plan.errors:
        return plan
    if digest and digest != plan.digest:
        raise CorrectionRefused(PREVIEW_CHANGED)
    with store.atomic():
        to_tell = store.apply_correction(case_id, plan, actor)
        if to_tell is None:
            raise CorrectionRefused(WITHDRAWN_CASE)
        ready = settle(store, case_id)
    try:
        send(store, dispatcher, ready)
        if to_tell:
            dispatcher.dispatch_withdrawals(to_tell)
    except Exception:  # the broker is down: the recovery sweep sends what is stored
        log.warning("case %s corrected; its steps go when the broker is back", case_id)
    return plan

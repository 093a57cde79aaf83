"""A case officer's actions on steps, shared by the pages, the API and the operator's command:
decide, assign or retry one step, and send again an agency's failed steps or those waiting
for it to be reachable. Each is written to the agency's audit trail."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Sequence

import sqlalchemy as sa

from contactpoint.db.inbox import queue_condition
from contactpoint.db.models import Step, now
from contactpoint.extensions import db
from contactpoint.officer import audit
from workflows import Decision, engine, recovery, runtime

log = logging.getLogger(__name__)


def decide(step: Step, kind: str, actor: str, role: str, **words: str | None) -> bool:
    """Approve, reject or ask the citizen; the workflow resumes. Raises DecisionError."""
    current = runtime.current()
    decision = Decision(kind=kind, actor=actor, **words)  # type: ignore[arg-type]
    step_id, case_id, agency = step.id, step.case_id, step.agency
    if not engine.decide(current.store, current.dispatcher, step_id, decision):
        return False
    written = {key: value for key, value in words.items() if value}
    audit.record(actor, role, agency, "decided", case_id, step_id, decision=kind, **written)
    return True


def assign(step: Step, assignee: str | None, actor: str, role: str) -> None:
    """Give the step to an officer of its agency (or to nobody)."""
    step.assigned_to = assignee
    step.assigned_at = now() if assignee else None
    db.session.commit()
    audit.record(actor, role, step.agency, "assigned", step.case_id, step.id, assignee=assignee)


def retry(step: Step, actor: str, role: str) -> bool:
    """Send a failed step to its agency again; the steps after it resume too."""
    current = runtime.current()
    step_id, case_id, agency = step.id, step.case_id, step.agency
    if not engine.retry_failed_step(current.store, current.dispatcher, step_id, actor):
        return False
    audit.record(actor, role, agency, "retried", case_id, step_id)
    return True


OPERATOR = "operator"  # the actor and role of what the service's operator does from the CLI


def retry_failed(
    agencies: Sequence[str],
    since: dt.datetime | None = None,
    dry_run: bool = False,
    actor: str = OPERATOR,
    role: str = OPERATOR,
    limit: int | None = None,
) -> dict[str, int]:
    """Send again every step of the `failed` queue of these agencies (all of them when none
    is named) that failed at or after `since`: after an agency's system was down longer than
    the retries last. Each goes as a supervisor's retry does, with its entry in the audit
    trail under `actor` (the operator's command, or the agency's system through the API); the
    steps waiting on it resume too. Up to `limit`, the longest failed first. Returns how many,
    per agency."""
    chosen = sa.select(Step.id, Step.agency).where(queue_condition("failed", now()))
    if agencies:
        chosen = chosen.where(Step.agency.in_(agencies))
    if since is not None:
        chosen = chosen.where(Step.finished_at >= since)
    first_failed = (Step.finished_at.asc().nulls_last(), Step.id)
    found = db.session.execute(chosen.order_by(*first_failed).limit(limit)).all()
    db.session.rollback()
    counts: Counter[str] = Counter()
    for step_id, agency in found:
        if not dry_run:
            step = db.session.get(Step, step_id)
            if step is None or not retry(step, actor, role):
                continue  # sent again meanwhile, by an officer or another run
        counts[agency] += 1
    return dict(sorted(counts.items()))


def send_scheduled_now(
    agencies: Sequence[str],
    dry_run: bool = False,
    actor: str | None = None,
    role: str = OPERATOR,
) -> dict[str, int]:
    """Send now, not at their next scheduled attempt (up to `CONTACTPOINT_RETRY_OUTAGE_EVERY_S`
    away), the steps of these agencies (all of them when none is named) that wait for a retry
    because the agency could not be reached: once it is back. Returns how many, per agency.

    Their retry is made due at once and sent as recovery sends it; if the broker is down, the
    next recovery pass sends them. The log says how many; when a person (`actor`, a
    supervisor) asked for it, each step's entry in the audit trail says who.
    """
    moment = now()
    waiting = [queue_condition("unreachable", moment)]
    if agencies:
        waiting.append(Step.agency.in_(agencies))
    if dry_run:
        counted = sa.select(Step.agency, sa.func.count()).where(*waiting).group_by(Step.agency)
        found = {agency: count for agency, count in db.session.execute(counted)}
        db.session.rollback()
        return dict(sorted(found.items()))
    due = sa.update(Step).where(*waiting)
    due = due.values(retry_at=moment, lease_expires_at=moment, next_attempt_at=moment)
    rows = db.session.execute(
        due.returning(Step.id, Step.case_id, Step.agency),
        execution_options={"synchronize_session": False},
    ).all()
    db.session.commit()
    counts = Counter(row.agency for row in rows)
    if actor:
        audit.record_many(actor, role, "sent_now", ((r.agency, r.case_id, r.id) for r in rows))
    if counts:
        log.info("scheduled retries sent now: %s", dict(counts))
        current = runtime.current()
        try:
            recovery.send_due_retries(current.store, current.dispatcher)
        except Exception:  # the broker is unreachable: they are due, the next pass sends them
            log.warning("could not send the scheduled retries now; recovery will")
    return dict(sorted(counts.items()))

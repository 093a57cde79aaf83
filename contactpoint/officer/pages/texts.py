"""Words on the case officers' pages: queues, statuses, the ball, timeline entries, actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _

from contactpoint.citizen.field_labels import field_label
from contactpoint.citizen.pages.texts import retry_time
from contactpoint.citizen.presenters import agency_name
from contactpoint.citizen.standing import next_attempt_words
from contactpoint.officer.staff import officer as staff_officer
from workflows import StepStatus, catalogue, waits_for_retry


def queue_text(queue: str) -> str:
    """The name of an inbox queue."""
    return {
        "waiting": _("Waiting for us"),
        "overdue": _("Overdue"),
        "citizen": _("Waiting for the citizen"),
        "failed": _("Failed"),
        "unreachable": _("Not delivered yet"),
        "decided": _("Recently decided"),
        "all": _("All"),
    }.get(queue, queue)


def officer_status_text(
    status: str,
    ball: str,
    outcome: str | None = None,
    next_attempt_at: dt.datetime | None = None,
    own: bool = True,
) -> str:
    """A step's status as a case officer reads it (`next_attempt_at`: the agency's system did
    not answer, and the step is tried again then, in Swedish time; `own`: a step of the
    officer's own agency)."""
    if next_attempt_at is not None and waits_for_retry(status, next_attempt_at):
        words = next_attempt_words(next_attempt_at)
        if own:
            return _("Your system not reached. %(next)s", next=words)
        return _("Not reached. %(next)s", next=words)
    if outcome == "approved":
        return _("Approved")
    if outcome == "rejected":
        return _("Rejected")
    if status == StepStatus.WAITING:
        return _("Waiting for the citizen") if ball == "citizen" else _("Waiting for a decision")
    return {
        "pending": _("Not started"),
        "running": _("Being sent"),
        "done": _("Done"),
        "failed": _("Failed"),
        "cancelled": _("Cancelled"),
        "not_needed": _("Not needed"),
    }.get(status, status)


def officer_tag_colour(status: str, outcome: str | None = None) -> str:
    """The colour of a step's status tag (GOV.UK's tag colours)."""
    if outcome:
        return "green" if outcome == "approved" else "red"
    return {
        "done": "green",
        "failed": "red",
        "cancelled": "orange",
        "waiting": "yellow",
        "running": "blue",
    }.get(status, "grey")


def ball_owner(ball: str, status: str | None = None) -> str:
    """Who must act now, in a word: only a waiting step waits for a person; Kontaktpunkt
    sends a step not sent yet (the database keeps `agency` as its ball until then)."""
    if status in (StepStatus.PENDING, StepStatus.RUNNING):
        return _("Kontaktpunkt")
    if status is not None and status != StepStatus.WAITING:
        return _("Nobody")
    return {"citizen": _("The citizen"), "agency": _("The agency"), "none": _("Nobody")}.get(
        ball, ball
    )


def officer_name(officer_id: str | None) -> str:
    """An officer's name from the staff directory, else the id."""
    found = staff_officer(officer_id)
    return found.name if found else (officer_id or "")


def actor_text(actor: str | None) -> str:
    """Who acted: an officer by name, an agency's system, the citizen."""
    kind, _sep, who = (actor or "").partition(":")
    if kind == "officer":
        return officer_name(who)
    if kind == "agency":
        return _("%(agency)s's system", agency=agency_name(who))
    return _("The citizen") if kind == "citizen" else (actor or "")


def officer_event_text(entry: dict[str, Any]) -> str:
    """One timeline entry as a case officer reads it."""
    agency = agency_name(entry.get("agency") or "")
    when = retry_time(entry.get("detail") or {})
    if entry.get("kind") == "step_retry" and when:
        return _(
            "%(agency)s could not be reached; next attempt %(time)s.", agency=agency, time=when
        )
    return {
        "case_submitted": _("The citizen submitted the case."),
        "step_started": _("Sent to %(agency)s.", agency=agency),
        "step_retry": _("%(agency)s did not answer; tried again.", agency=agency),
        "step_done": _("%(agency)s registered it.", agency=agency),
        "step_waiting": _("Waiting at %(agency)s.", agency=agency),
        "step_failed": _("%(agency)s could not do it.", agency=agency),
        "step_cancelled": _("A step was cancelled."),
        "step_approved": _("%(agency)s approved it.", agency=agency),
        "step_rejected": _("%(agency)s rejected it.", agency=agency),
        "complement_requested": _("%(agency)s asked the citizen for more.", agency=agency),
        "complement_answered": _("The citizen answered %(agency)s.", agency=agency),
        "step_retried": _("A failed step was sent again."),
        "confirmation_asked": _("Waits for another person to confirm it."),
        "step_confirmed": _("Confirmed by the other person; to be sent."),
        "step_declined": _("The other person said no: not sent."),
        "case_closed": _("The case was closed."),
        "case_corrected": _("The citizen corrected answers."),
        "correction_planned": _("A correction goes to %(agency)s.", agency=agency),
        "step_added": _("A step for %(agency)s applies after a correction.", agency=agency),
        "step_no_longer_applies": _(
            "The step at %(agency)s no longer applies after a correction.", agency=agency
        ),
    }.get(entry.get("kind") or "", entry.get("kind") or "")


def audit_action_text(action: str) -> str:
    """An audit entry's action."""
    return {
        "viewed_step": _("Viewed a step"),
        "decided": _("Decided"),
        "assigned": _("Assigned"),
        "retried": _("Retried"),
        "sent_now": _("Sent now, not at its next attempt"),
    }.get(action, action)


def decision_text(kind: str) -> str:
    """A decision as the trail tells it."""
    return {
        "approve": _("Approved"),
        "reject": _("Rejected"),
        "complement": _("Asked the citizen for more"),
    }.get(kind, kind)


def audit_details(detail: dict[str, Any], life_event: str | None) -> list[tuple[str, str]]:
    """An audit entry's details in the officer's words: the fields by their names in the
    life event, the decision, the assignee by name; each as (what, which)."""
    event = catalogue().get(life_event or "")
    words: dict[str, tuple[str, Callable[[Any], str]]] = {
        "fields": (
            _("Fields"),
            lambda names: ", ".join(field_label(n, event).rstrip("?") for n in names),
        ),
        "decision": (_("Decision"), decision_text),
        "assignee": (_("Assigned to"), lambda who: officer_name(who) if who else _("Nobody")),
        "reference": (_("Our reference"), str),
        "reason": (_("Reason"), str),
        "question": (_("Question"), str),
    }
    shown = []
    for key, value in detail.items():
        label, say = words.get(key, (key, str))
        shown.append((str(label), say(value)))
    return shown


OFFICER_HELPERS = {
    "audit_details": audit_details,
    "queue_text": queue_text,
    "officer_status_text": officer_status_text,
    "officer_tag_colour": officer_tag_colour,
    "ball_owner": ball_owner,
    "officer_name": officer_name,
    "actor_text": actor_text,
    "officer_event_text": officer_event_text,
    "audit_action_text": audit_action_text,
}

"""Words for fields and timeline entries in the citizen's language; statuses: `standing`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from flask_babel import format_date, format_datetime
from flask_babel import gettext as _

from contactpoint.citizen.field_labels import field_label
from contactpoint.citizen.pages.fields import field_hint, input_width
from contactpoint.citizen.presenters import agency_name, agency_role
from contactpoint.citizen.standing import case_standing, step_standing
from contactpoint.platform.i18n import text
from workflows import CONFIRMATION_ROLES, NO_LONGER_APPLIES, WITHDRAWN, CaseStatus, LifeEvent


def role_text(detail: dict[str, Any], capital: bool = False) -> str:
    """The person whose yes a step waits for, by their role ("the other guardian")."""
    role = CONFIRMATION_ROLES.get(str(detail.get("role")))
    words = text(role.text) if role else _("the other person")
    return words[:1].upper() + words[1:] if capital else words


def field_names(fields: Iterable[str], event: LifeEvent) -> str:
    """The names of the fields an agency receives, as the citizen saw the questions."""
    return ", ".join(field_label(f, event, yours=True).rstrip("?").lower() for f in fields)


def retry_time(detail: dict[str, Any]) -> str | None:
    """When a scheduled retry (`step_retry`'s `retry_at`) will be made, as the reader's
    locale writes a moment; None for a retry seconds away."""
    try:
        moment = dt.datetime.fromisoformat(detail["retry_at"])
    except (KeyError, TypeError, ValueError):
        return None
    return str(format_datetime(moment, "short"))


def event_text(entry: dict[str, Any], language: str | None = None) -> str:
    """One timeline entry in plain words (the agency's name in `language`, the request's by
    default; the sentence in the locale of the moment, `in_language`)."""
    detail = entry.get("detail") or {}
    agency = agency_name(detail.get("agency", ""), language)
    within = agency_name(detail.get("agency", ""), language, in_sentence=True)
    kind = entry.get("kind")
    if kind == "case_submitted":
        return _("You sent your case.")
    if kind == "step_started":
        return _("Sent to %(agency)s.", agency=within)
    if kind == "step_retry":
        when = retry_time(detail)
        if when:
            return _(
                "%(agency)s cannot be reached just now. We will try again at %(time)s. You "
                "do not need to do anything.",
                agency=agency,
                time=when,
            )
        return _("%(agency)s did not answer. We will try again.", agency=agency)
    if kind == "step_done":
        return _("%(agency)s has registered it.", agency=agency)
    if kind == "step_waiting":
        return _("%(agency)s is handling it.", agency=agency)
    if kind == "step_failed":
        return _("%(agency)s could not do it.", agency=agency)
    if kind == "step_cancelled":
        if detail.get("code") == WITHDRAWN:
            return _("A step was cancelled because you withdrew the case.")
        return _("A step was cancelled because a step before it could not be done.")
    if kind == "step_approved":
        return _("%(agency)s has approved it.", agency=agency)
    if kind == "step_rejected":
        return _("%(agency)s has said no.", agency=agency)
    if kind == "step_retried":
        return _("We are sending it to %(agency)s again.", agency=within)
    if kind == "step_recovered":
        return _(
            "A fault on our side interrupted the step at %(agency)s. We are sending it again.",
            agency=within,
        )
    if kind == "complement_requested":
        return _("%(agency)s needs more information from you.", agency=agency)
    if kind == "complement_answered":
        return _("You answered %(agency)s.", agency=within)
    if kind == "confirmation_asked":
        return _("It is sent when %(role)s has confirmed it.", role=role_text(detail))
    if kind == "step_confirmed":
        return _("%(role)s has confirmed it. We are sending it.", role=role_text(detail, True))
    if kind == "step_declined":
        return _("%(role)s has said no. It is not sent.", role=role_text(detail, True))
    if kind == "case_withdrawn":
        return _("You withdrew the case.")
    if kind == "case_corrected":
        return _("You corrected your answers.")
    if kind == "correction_planned":
        return _("Your correction will be sent to %(agency)s.", agency=within)
    if kind == "step_added":
        return _("After your correction, a step for %(agency)s applies.", agency=within)
    if kind == "step_no_longer_applies":
        return _("After your correction, the step at %(agency)s no longer applies.", agency=within)
    if kind == "withdrawal_sent" and detail.get("code") == NO_LONGER_APPLIES:
        return _("%(agency)s has been told that the step no longer applies.", agency=agency)
    if kind == "withdrawal_sent":
        return _("%(agency)s has been told that the case was withdrawn.", agency=agency)
    if kind == "withdrawal_failed":
        return _("We could not tell %(agency)s that the case was withdrawn.", agency=within)
    if kind == "case_closed":
        if detail.get("status") == CaseStatus.DONE_WITH_PROBLEMS:
            return _("Every step has ended, but not all of them could be done.")
        if detail.get("status") == CaseStatus.WITHDRAWN:
            return _("The case is closed.")
        return _("Every step is done.")
    return str(kind)


TEMPLATE_HELPERS = {
    "agency_name": agency_name,
    "agency_role": agency_role,
    "step_standing": step_standing,
    "case_standing": case_standing,
    "field_names": field_names,
    "field_hint": field_hint,
    "input_width": input_width,
    "event_text": event_text,
    "format_date": format_date,
    "format_datetime": format_datetime,
}

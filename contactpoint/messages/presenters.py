"""A message as its reader sees it: title and text in their language, put in words when read
from its kind and facts, with the words the case page uses for the same steps and agencies."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from contactpoint.citizen.presenters import agency_name
from contactpoint.db.models import utc
from contactpoint.platform.i18n import current_language, in_language, text
from contactpoint.proactive.words import rule_words
from contactpoint.rights import appeal_view
from workflows import (
    CONFIRMATION_ROLES,
    MessageAction,
    MessageKind,
    Step,
    catalogue,
    declared_step,
    fill_deadline,
)

ACTION_LABELS = {
    MessageAction.ANSWER: _l("Answer the question"),
    MessageAction.OPEN_CASE: _l("Open the case"),
    MessageAction.START: _l("Start"),
    MessageAction.DISMISS: _l("Dismiss"),
    MessageAction.CONFIRM: _l("Confirm or say no"),
}


def _declared(row: Any) -> Step | None:
    """The declared step the message is about, if any."""
    key = row.step_key or row.params.get("step")
    event = catalogue().get(row.life_event or row.params.get("life_event") or "")
    return declared_step(event, key) if key else None


def _step_title(row: Any, language: str) -> str:
    """The step's title as the case page says it."""
    declared = _declared(row)
    key = row.step_key or row.params.get("step")
    return text(declared.title, language) if declared else (key or "")


def _words(row: Any, language: str) -> tuple[str, str]:
    """The message's title and text in the reader's language."""
    params = row.params or {}
    proactive = rule_words(params, language)
    if proactive is not None:
        return proactive[0], proactive[1]
    agency = agency_name(row.agency, language) if row.agency else ""
    step = _step_title(row, language)
    if row.kind == MessageKind.COMPLEMENT:
        title = _("%(agency)s needs more information from you", agency=agency)
        return title, _("Their question: %(question)s", question=params.get("question", ""))
    if row.kind == MessageKind.DECISION and params.get("outcome") == "approved":
        title = _("%(agency)s has approved: %(step)s", agency=agency, step=step)
        reference = params.get("reference")
        if reference:
            return title, _("Their reference: %(reference)s", reference=reference)
        return title, _("You do not need to do anything.")
    if row.kind == MessageKind.DECISION:
        title = _("%(agency)s has said no: %(step)s", agency=agency, step=step)
        reason = _("Their reason: %(reason)s", reason=params.get("reason", ""))
        appeal = appeal_view(_declared(row), agency, language)  # how, and by when
        return title, f"{reason}\n\n{appeal['text']}" if appeal else reason
    if row.kind == MessageKind.REMINDER:
        when = dt.date.fromisoformat(params["deadline"]) if params.get("deadline") else None
        event = catalogue().get(params.get("life_event", ""))
        steps = event.steps if event else ()
        declared = next((s for s in steps if s.id == params.get("step")), None)
        next_step = declared.next_step if declared else None
        shown = format_date(when, "long") if when else None
        body = fill_deadline(text(next_step, language), when, shown) if next_step else ""
        return _("Reminder: %(step)s", step=step), body
    if row.kind == MessageKind.SUGGESTION:
        event = catalogue().get(row.action_life_event or "")
        title = text(event.title, language) if event else ""
        return _("You may want to start: %(title)s", title=title), (
            text(event.description, language) if event else ""
        )
    if row.kind in (MessageKind.CONFIRMATION, MessageKind.DECLINED):
        return _confirmation_words(row.kind, params, language)
    return text(params.get("title"), language), text(params.get("text"), language)


def _confirmation_words(kind: str, params: dict[str, Any], language: str) -> tuple[str, str]:
    """A request to confirm steps of another person's case, or the news that it was refused."""
    event = catalogue().get(params.get("life_event", ""))
    title = text(event.title, language) if event else ""
    role = CONFIRMATION_ROLES.get(params.get("role", ""))
    who = text(role.text, language) if role else _("the other person")
    if kind == MessageKind.CONFIRMATION:
        return _("Your confirmation is needed: %(title)s", title=title), _(
            "Someone has sent this and asks you, as %(role)s, to confirm parts of it. Nothing"
            " of those parts is sent until you have answered.",
            role=who,
        )
    return _("Not confirmed: %(title)s", title=title), _(
        "%(role)s has said no, so the parts that needed their confirmation are not sent.",
        role=who[:1].upper() + who[1:],
    )


def _action(row: Any) -> dict[str, Any] | None:
    """The one thing the reader can do about it, with where to do it."""
    if row.action is None or row.dismissed_at is not None:
        return None
    action: dict[str, Any] = {"type": row.action, "label": str(ACTION_LABELS[row.action])}
    if row.action in (MessageAction.ANSWER, MessageAction.OPEN_CASE) and row.case_id:
        anchor = f"question-{row.step_id}" if row.action == MessageAction.ANSWER else None
        action["url"] = url_for("mypages.case", case_id=row.case_id, _anchor=anchor)
    if row.action == MessageAction.CONFIRM and (row.params or {}).get("confirmation"):
        action["url"] = url_for("confirmations.show", confirmation_id=row.params["confirmation"])
    if row.action == MessageAction.START and row.action_life_event:
        action["life_event"] = row.action_life_event
        action["url"] = url_for("journey.start", event_id=row.action_life_event)
        proposed = (row.params or {}).get("answers")
        if proposed is not None:  # an offer: accepted, its answers wait on the check page
            action["answers"] = dict(proposed)
            action["url"] = url_for("proactive.accept", message_id=row.id)
            action["method"] = "post"
    return action


def message_view(row: Any, language: str | None = None) -> dict[str, Any]:
    """One message (a row of `mailbox.messages_of`) for the API and the pages."""
    language = language or current_language()
    with in_language(language):
        title, body = _words(row, language)
        action = _action(row)
        proactive = rule_words(row.params or {}, language)
    return {
        "id": row.id,
        "kind": row.kind,
        "title": title,
        "text": body,
        "created_at": utc(row.created_at),
        "read_at": utc(row.read_at),
        # A request to confirm concerns another person's case: not theirs to open.
        **(
            {"case_id": None, "step_id": None, "case_reference": None}
            if row.kind == MessageKind.CONFIRMATION
            else {
                "case_id": row.case_id,
                "step_id": row.step_id,
                "case_reference": row.case_reference,
            }
        ),
        "action": action,
        # Why it was sent, in plain words, from the rule that sent it (None for the others).
        "reason": proactive[2] if proactive else None,
        "dismissable": row.action == MessageAction.START and row.dismissed_at is None,
    }

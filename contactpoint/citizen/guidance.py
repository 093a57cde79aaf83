"""What the citizen reads about a step beyond its status: its next step, dated when declared."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import has_request_context
from flask_babel import format_date
from flask_babel import gettext as _

from agencies.registers.catalogue import REGISTERS
from contactpoint.platform.i18n import current_language, in_language, text
from workflows import Step, deadline_date, fill_deadline, represented_name


def step_guidance(
    step: Step | None, answers: Mapping[str, Any], language: str | None = None
) -> dict[str, Any]:
    """The step's next step in the reader's language, and its deadline (ISO date) if any."""
    if step is None:
        return {"next_step": None, "deadline": None, "told_by": None}
    when = deadline_date(step.deadline, answers)
    next_step = None
    if step.next_step is not None:
        language = language or current_language()
        shown = format_date(when, "long") if when and has_request_context() else None
        next_step = fill_deadline(text(step.next_step, language), when, shown)
    return {
        "next_step": next_step,
        "deadline": when.isoformat() if when else None,
        "told_by": told_by(step, language),
    }


def told_by(step: Step, language: str | None = None) -> str | None:
    """ "Told automatically by the population register": the agency needs nothing from here."""
    info = REGISTERS.get(step.told_by or "")
    if info is None:
        return None
    with in_language(language):
        return _("Told automatically by %(register)s.", register=text(info.name, language))


def acting_for(personal_number: str | None) -> dict[str, Any] | None:
    """The person a case is on behalf of, as the citizen knows them."""
    if not personal_number:
        return None
    return {"personal_number": personal_number, "name": represented_name(personal_number)}

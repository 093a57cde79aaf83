"""What the citizen reads about a step beyond its status: its next step, dated when declared."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import has_request_context
from flask_babel import format_date

from contactpoint.platform.i18n import current_language, text
from workflows import Step, deadline_date, fill_deadline, represented_name


def step_guidance(
    step: Step | None, answers: Mapping[str, Any], language: str | None = None
) -> dict[str, Any]:
    """The step's next step in the reader's language, and its deadline (ISO date) if any."""
    if step is None:
        return {"next_step": None, "deadline": None}
    when = deadline_date(step.deadline, answers)
    next_step = None
    if step.next_step is not None:
        language = language or current_language()
        shown = format_date(when, "long") if when and has_request_context() else None
        next_step = fill_deadline(text(step.next_step, language), when, shown)
    return {"next_step": next_step, "deadline": when.isoformat() if when else None}


def acting_for(personal_number: str | None) -> dict[str, Any] | None:
    """The person a case is on behalf of, as the citizen knows them."""
    if not personal_number:
        return None
    return {"personal_number": personal_number, "name": represented_name(personal_number)}

"""How answers and answer errors read on the pages, in the citizen's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from marshmallow import ValidationError

from workflows.lifeevents import Question

from ..i18n import text


def display_answer(question: Question, value: Any) -> str:
    """An answer as the citizen gave it, in their language."""
    if value is None:
        return ""
    if question.type == "yes_no":
        return _("Yes") if value else _("No")
    if question.type in ("one_of", "several_of"):
        chosen = value if isinstance(value, list) else [value]
        names = {option.value: text(option.text) for option in question.options}
        return ", ".join(names.get(item, item) for item in chosen)
    if question.type == "date":
        try:
            return format_date(dt.date.fromisoformat(value), "long")
        except ValueError:
            return str(value)
    return str(value)


def error_message(question: Question, value: Any, error: ValidationError) -> str:
    """A message that says what to fix, in plain words."""
    label = text(question.text)
    if value in ("", [], None):
        if question.type in ("yes_no", "one_of"):
            return _("Choose an answer: %(question)s", question=label)
        if question.type == "several_of":
            return _("Choose at least one: %(question)s", question=label)
        return _("Enter an answer: %(question)s", question=label)
    if question.type == "date":
        return _("Enter a real date, like 2026-12-15")
    if question.type == "personal_number":
        return _("Enter a personal identity number with 12 digits, like 19850312-2387")
    if question.type == "organisation_number":
        return _("Enter an organisation number with 10 digits, like 556012-5790")
    if question.type == "number":
        return _("Enter a number")
    if question.pattern:
        hint = text(question.hint) if question.hint else ""
        return _("Check the format: %(hint)s", hint=hint) if hint else _("Check the format")
    return _("Check your answer: %(question)s", question=label)

"""How answers and answer errors read on the pages, in the citizen's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError

from contactpoint.platform.i18n import format_number, text
from workflows import (
    ADDRESS_PARTS,
    FUTURE,
    NOT_A_NUMBER,
    PAST,
    Address,
    Question,
    display_address,
    is_blank,
    represented_name,
)


def display_answer(question: Question, value: Any) -> str:
    """An answer as the citizen gave it, in their language."""
    if value is None:
        return ""
    if question.type == "yes_no":
        return _("Yes") if value else _("No")
    if question.type in ("one_of", "several_of"):
        chosen: list[str] = value if isinstance(value, list) else [value]
        names = {option.value: text(option.text) for option in question.options}
        return ", ".join(names.get(item, item) for item in chosen)
    if question.type == "date":
        try:
            return format_date(dt.date.fromisoformat(value), "long")
        except ValueError:
            return str(value)
    if question.type == "address":
        return display_address(value)
    if question.type == "personal_number":
        name = represented_name(str(value))
        return f"{value} ({name})" if name else str(value)
    if question.type == "number" and isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value)
    return str(value)


# Translated when read: the problem with an answer, by the question's type or the address part.
FORMAT_PROBLEMS = {
    "date": _l("Enter a real date, like 2026-12-15"),
    "personal_number": _l("Enter a personal identity number with 12 digits, like 19850312-2387"),
    "organisation_number": _l("Enter an organisation number with 10 digits, like 556012-5790"),
}
ADDRESS_TEXTS = {
    "street": _l("Enter the street address"),
    "postal_code": _l("Enter a postcode of five digits, like 753 20"),
    "city": _l("Enter the town"),
}
ADDRESS_PROBLEMS = {Address.default_error_messages[part]: part for part in ADDRESS_PARTS}


def _number(value: float | None) -> str:
    return format_number(value) if value is not None else ""


def error_message(question: Question, value: Any, error: ValidationError) -> str:
    """A message that says what to fix, in plain words, in the citizen's language."""
    label = text(question.text)
    if is_blank(value):
        if question.type in ("yes_no", "one_of"):
            return _("Choose an answer: %(question)s", question=label)
        if question.type == "several_of":
            return _("Choose at least one: %(question)s", question=label)
        return _("Enter an answer: %(question)s", question=label)
    messages = error.messages if isinstance(error.messages, list) else []
    if question.type == "date" and PAST in messages:
        return _("The date cannot be later than today")
    if question.type == "date" and FUTURE in messages:
        return _("The date cannot be earlier than today")
    if question.type in FORMAT_PROBLEMS:
        return str(FORMAT_PROBLEMS[question.type])
    if question.type == "address":
        part = next((ADDRESS_PROBLEMS[m] for m in messages if m in ADDRESS_PROBLEMS), "street")
        return str(ADDRESS_TEXTS[part])
    if question.type == "number":
        low, high = _number(question.minimum), _number(question.maximum)
        if NOT_A_NUMBER in messages:
            example = _number(question.minimum if question.minimum is not None else 1000)
            return _("Enter the number in digits, like %(example)s", example=example)
        if low and high:
            return _("Enter a number from %(minimum)s to %(maximum)s", minimum=low, maximum=high)
        if low:
            return _("Enter at least %(minimum)s", minimum=low)
        return _("Enter at most %(maximum)s", maximum=high)
    if question.pattern and question.hint:
        return _("Check the format: %(hint)s", hint=text(question.hint))
    return _("Check your answer: %(question)s", question=label)

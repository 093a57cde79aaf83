"""How answers and answer errors read on the pages, in the citizen's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError

from agencies.clock import today
from contactpoint.platform.i18n import current_language, format_number, text
from workflows import (
    FUTURE,
    NOT_A_DATE,
    NOT_A_NUMBER,
    NOT_ALONE,
    PAST,
    WRONG_CHECK_DIGIT,
    Address,
    Question,
    display_address,
    identity_number_problem,
    is_blank,
    represented_name,
)
from workflows.answer_fields import WINDOW_MESSAGES
from workflows.people import PEOPLE_TYPES, people_text


def display_answer(question: Question, value: Any) -> str:
    """An answer as the citizen gave it, in their language."""
    if value is None:
        return ""
    if question.type == "yes_no":
        return _("Yes") if value else _("No")
    if question.type in ("one_of", "several_of", "municipality"):
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
    if question.type in PEOPLE_TYPES:
        return people_text(question, value, current_language())
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
CHECK_DIGIT_PROBLEMS = {
    "personal_number": _l(
        "The last digit of the personal identity number does not fit the others. Check that "
        "you typed the right number, like 19850312-2387"
    ),
    "organisation_number": _l(
        "The last digit of the organisation number does not fit the others. Check that you "
        "typed the right number, like 556012-5790"
    ),
}
BIRTH_DATE_PROBLEM = _l(
    "The first 8 digits of a personal identity number are the date of birth, like 19850312-2387"
)
# By the error key of the address's field: what is wrong with which part.
ADDRESS_TEXTS = {
    "street": _l("Enter the street address"),
    "postal_code": _l("Enter a postcode of five digits, like 753 20"),
    "city": _l("Enter the town"),
    "street_long": _l("The street address can have at most 100 characters"),
    "city_long": _l("The town can have at most 60 characters"),
}
ADDRESS_PROBLEMS = {words: key for key, words in Address.default_error_messages.items()}


def _number(value: float | None) -> str:
    return format_number(value) if value is not None else ""


def error_message(question: Question, value: Any, error: ValidationError) -> str:
    """A message that says what to fix, in plain words, in the citizen's language."""
    label = text(question.text)
    if is_blank(value):
        if question.type in ("yes_no", "one_of", "municipality"):
            return _("Choose an answer: %(question)s", question=label)
        if question.type == "several_of":
            return _("Choose at least one: %(question)s", question=label)
        return _("Enter an answer: %(question)s", question=label)
    messages = error.messages if isinstance(error.messages, list) else []
    if question.type == "date" and PAST in messages:
        return _("The date cannot be later than today")
    if question.type == "date" and FUTURE in messages:
        return _("The date cannot be earlier than today")
    if question.type == "date" and question.window and _outside_window(messages):
        return _window_message(question)
    if question.type in CHECK_DIGIT_PROBLEMS:
        problem = identity_number_problem(question, str(value))
        if problem == WRONG_CHECK_DIGIT:
            return str(CHECK_DIGIT_PROBLEMS[question.type])
        if problem == NOT_A_DATE and question.type == "personal_number":
            return str(BIRTH_DATE_PROBLEM)
    if question.type in FORMAT_PROBLEMS:
        return str(FORMAT_PROBLEMS[question.type])
    if question.type == "address":
        found = (ADDRESS_PROBLEMS.get(m) for m in _flat(error.messages))
        part = next((key for key in found if key in ADDRESS_TEXTS), "street")
        return str(ADDRESS_TEXTS[part])
    if question.people_from and NOT_ALONE not in messages:  # someone not on the list
        return _("Choose from the people listed: %(question)s", question=label)
    if question.type == "several_of" and NOT_ALONE in messages:
        alone = next(option for option in question.options if option.exclusive)
        return _("Choose either “%(option)s” or one or more of the others", option=text(alone.text))
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
    if question.type == "text" and len(str(value)) > question.max_length:
        return _(
            "The answer can have at most %(maximum)s characters. Now it has %(count)s.",
            maximum=format_number(question.max_length),
            count=format_number(len(str(value))),
        )
    if question.pattern_error:
        return text(question.pattern_error)
    return _("Check your answer: %(question)s", question=label)


def _outside_window(messages: list[str]) -> bool:
    starts = tuple(m.split("{")[0] for m in WINDOW_MESSAGES)
    return any(str(m).startswith(starts) for m in messages)


def _window_message(question: Question) -> str:
    """The dates the question accepts, in the citizen's language, and the rule behind them."""
    assert question.window is not None
    low, high = question.window.bounds(today())
    earliest = format_date(low, "long") if low else ""
    latest = format_date(high, "long") if high else ""
    if low and high:
        bounds = _(
            "Choose a date from %(earliest)s to %(latest)s.", earliest=earliest, latest=latest
        )
    elif low:
        bounds = _("Choose a date on or after %(earliest)s.", earliest=earliest)
    else:
        bounds = _("Choose a date on or before %(latest)s.", latest=latest)
    return f"{bounds} {text(question.window.reason)}"


def _flat(messages: Any) -> list[str]:
    """The texts of marshmallow's messages, however nested."""
    if isinstance(messages, str):
        return [messages]
    if isinstance(messages, dict):
        messages = list(messages.values())
    return [line for item in messages or [] for line in _flat(item)]

"""How answers and answer errors read on the pages, in the citizen's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from marshmallow import ValidationError

from contactpoint.platform.i18n import text
from workflows.address import PARTS as ADDRESS_PARTS
from workflows.address import Address, display_address
from workflows.behalf import represented_name
from workflows.lifeevents import Question
from workflows.rules import FUTURE, PAST, is_blank


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
    return str(value)


# Validation messages in both languages, like the definitions' own texts.
MESSAGES: dict[str, dict[str, str]] = {
    "choose": {"sv": "Välj ett svar: {question}", "en": "Choose an answer: {question}"},
    "choose_some": {
        "sv": "Välj minst ett alternativ: {question}",
        "en": "Choose at least one: {question}",
    },
    "enter": {"sv": "Svara på frågan: {question}", "en": "Enter an answer: {question}"},
    "date": {
        "sv": "Skriv ett riktigt datum, till exempel 2026-12-15",
        "en": "Enter a real date, like 2026-12-15",
    },
    "personal_number": {
        "sv": "Skriv ett personnummer med 12 siffror, till exempel 19850312-2387",
        "en": "Enter a personal identity number with 12 digits, like 19850312-2387",
    },
    "organisation_number": {
        "sv": "Skriv ett organisationsnummer med 10 siffror, till exempel 556012-5790",
        "en": "Enter an organisation number with 10 digits, like 556012-5790",
    },
    "past": {
        "sv": "Datumet kan inte vara senare än i dag",
        "en": "The date cannot be later than today",
    },
    "future": {
        "sv": "Datumet kan inte vara tidigare än i dag",
        "en": "The date cannot be earlier than today",
    },
    "number": {"sv": "Skriv ett tal", "en": "Enter a number"},
    "range": {
        "sv": "Skriv ett tal från {minimum} till {maximum}",
        "en": "Enter a number from {minimum} to {maximum}",
    },
    "at_least": {"sv": "Skriv ett tal som är minst {minimum}", "en": "Enter at least {minimum}"},
    "at_most": {"sv": "Skriv ett tal som är högst {maximum}", "en": "Enter at most {maximum}"},
    "street": {"sv": "Skriv gatuadressen", "en": "Enter the street address"},
    "postal_code": {
        "sv": "Skriv ett postnummer med fem siffror, till exempel 753 20",
        "en": "Enter a postcode of five digits, like 753 20",
    },
    "city": {"sv": "Skriv postorten", "en": "Enter the town"},
    "format": {"sv": "Kontrollera formatet: {hint}", "en": "Check the format: {hint}"},
    "check": {"sv": "Kontrollera svaret: {question}", "en": "Check your answer: {question}"},
}
ADDRESS_PROBLEMS = {Address.default_error_messages[part]: part for part in ADDRESS_PARTS}


def _say(key: str, **values: Any) -> str:
    return text(MESSAGES[key]).format(**values)


def _number(value: float | None) -> str:
    return f"{value:g}" if value is not None else ""


def error_message(question: Question, value: Any, error: ValidationError) -> str:
    """A message that says what to fix, in plain words, in the citizen's language."""
    label = text(question.text)
    if is_blank(value):
        if question.type in ("yes_no", "one_of"):
            return _say("choose", question=label)
        if question.type == "several_of":
            return _say("choose_some", question=label)
        return _say("enter", question=label)
    messages = error.messages if isinstance(error.messages, list) else []
    if question.type == "date" and PAST in messages:
        return _say("past")
    if question.type == "date" and FUTURE in messages:
        return _say("future")
    if question.type in ("date", "personal_number", "organisation_number"):
        return _say(question.type)
    if question.type == "address":
        part = next((ADDRESS_PROBLEMS[m] for m in messages if m in ADDRESS_PROBLEMS), "street")
        return _say(part)
    if question.type == "number":
        low, high = _number(question.minimum), _number(question.maximum)
        try:
            float(str(value).replace(",", "."))
        except ValueError:
            return _say("number")
        if low and high:
            return _say("range", minimum=low, maximum=high)
        return _say("at_least", minimum=low) if low else _say("at_most", maximum=high)
    if question.pattern and question.hint:
        return _say("format", hint=text(question.hint))
    return _say("check", question=label)

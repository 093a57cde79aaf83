"""One answer checked: its field for marshmallow, the problems an identity number can have,
whether it is blank; `rules` checks a whole set of answers with these."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from marshmallow import ValidationError, fields, validate
from stdnum.exceptions import InvalidChecksum, InvalidComponent
from stdnum.exceptions import ValidationError as ValidationError_
from stdnum.se import orgnr, personnummer

# The service keeps Sweden's calendar, as the agencies do: `today()` is the date in Sweden.
from agencies.clock import today

from .address import Address, is_blank_address
from .declarations import Question
from .numbers import Number
from .people.fields import ChosenPerson

# What is wrong with an identity number, told apart with python-stdnum's checks.
WRONG_LENGTH = "wrong_length"
WRONG_CHECK_DIGIT = "wrong_check_digit"
NOT_A_DATE = "not_a_date"


def _number_problem(typed: str, module: Any, lengths: tuple[int, ...]) -> str | None:
    """Why `typed` is not a valid number of stdnum's `module` (None if it is valid)."""
    digits = re.sub(r"\D", "", typed)
    if len(digits) not in lengths or not re.fullmatch(r"[\d\s+-]+", typed):
        return WRONG_LENGTH
    try:
        module.validate(typed)
    except InvalidChecksum:
        return WRONG_CHECK_DIGIT
    except InvalidComponent:
        return NOT_A_DATE
    except ValidationError_:
        return WRONG_LENGTH
    return None


def identity_number_problem(question: Question, typed: str) -> str | None:
    """What is wrong with a typed personal or organisation number: WRONG_LENGTH,
    WRONG_CHECK_DIGIT or NOT_A_DATE; None if it is valid or not such a question."""
    module = {"personal_number": personnummer, "organisation_number": orgnr}.get(question.type)
    return _number_problem(str(typed).strip(), module, (10, 12)) if module else None


class PersonalNumber(fields.String):
    """A Swedish personal identity number, checked with its check digit, as YYYYMMDD-NNNN."""

    default_error_messages = {
        WRONG_LENGTH: "A personal identity number has 12 digits, like 19850312-2387.",
        WRONG_CHECK_DIGIT: "The last digit does not fit the others: check the number.",
        NOT_A_DATE: "The first 8 digits are not a date of birth.",
    }

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        problem = _number_problem(text, personnummer, (10, 12))
        if problem:
            raise self.make_error(problem)
        birth = personnummer.get_birth_date(text)
        return f"{birth:%Y%m%d}-{personnummer.compact(text)[-4:]}"


class OrganisationNumber(fields.String):
    """A Swedish organisation number, checked with its check digit, as NNNNNN-NNNN."""

    default_error_messages = {
        WRONG_LENGTH: "An organisation number has 10 digits, like 556012-5790.",
        WRONG_CHECK_DIGIT: "The last digit does not fit the others: check the number.",
        NOT_A_DATE: "Not a valid organisation number.",
    }

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        problem = _number_problem(text, orgnr, (10, 12))
        if problem:
            raise self.make_error(problem)
        return str(orgnr.format(text))


TOO_LONG = "Longer than {max} characters."
NOT_ALONE = "An option that stands alone was chosen with others."


def _alone(question: Question) -> list[Any]:
    """An exclusive option ("None of these") is chosen only by itself."""
    alone = {option.value for option in question.options if option.exclusive}

    def check(chosen: list[str]) -> None:
        if len(chosen) > 1 and alone & {c for c in chosen if isinstance(c, str)}:
            raise ValidationError(NOT_ALONE)

    return [check] if alone else []


PAST, FUTURE = "The date cannot be in the future.", "The date cannot be in the past."


def _date_range(question: Question) -> list[Any]:
    """A date in the past or the future, as the question declares; today is both."""

    def past(day: dt.date) -> None:
        if day > today():
            raise ValidationError(PAST)

    def future(day: dt.date) -> None:
        if day < today():
            raise ValidationError(FUTURE)

    return {"past": [past], "future": [future]}.get(question.date_range or "", [])


# A date outside the question's window: the bounds, then the rule in plain words.
OUTSIDE_WINDOW = "Choose a date from {earliest} to {latest}."
BEFORE_WINDOW = "Choose a date on or after {earliest}."
AFTER_WINDOW = "Choose a date on or before {latest}."
WINDOW_MESSAGES = (OUTSIDE_WINDOW, BEFORE_WINDOW, AFTER_WINDOW)


def window_problem(question: Question, day: dt.date) -> str | None:
    """Why `day` is outside the question's window (in English, with the rule), or None."""
    if question.window is None:
        return None
    low, high = question.window.bounds(today())
    if (low is None or day >= low) and (high is None or day <= high):
        return None
    if low is not None and high is not None:
        told = OUTSIDE_WINDOW
    else:
        told = BEFORE_WINDOW if low is not None else AFTER_WINDOW
    bounds = told.format(earliest=low, latest=high)
    return f"{bounds} {question.window.reason['en']}"


def _date_window(question: Question) -> list[Any]:
    def inside(day: dt.date) -> None:
        wrong_side = {"past": day > today(), "future": day < today()}
        if wrong_side.get(question.date_range or ""):
            return  # the past-or-future rule says it already, in fewer words
        problem = window_problem(question, day)
        if problem:
            raise ValidationError(problem)

    return [inside] if question.window else []


def field_for(question: Question, language: str | None = None) -> fields.Field:
    """The marshmallow field that validates one question's answer; `language` is how the
    answer was typed (a number's decimal mark), None for JSON."""
    values = [option.value for option in question.options]
    if question.type == "yes_no":
        return fields.Boolean(required=True)
    if question.type in ("one_of", "municipality"):
        return fields.String(required=True, validate=validate.OneOf(values))
    if question.type == "several_of":
        return fields.List(
            fields.String(validate=validate.OneOf(values)),
            required=True,
            validate=[validate.Length(min=1), *_alone(question)],
        )
    if question.type == "date":
        return fields.Date(
            required=True, validate=[*_date_range(question), *_date_window(question)]
        )
    if question.type == "number":
        return Number(
            language,
            required=True,
            validate=validate.Range(min=question.minimum, max=question.maximum),
        )
    if question.type in ("personal_number", "one_person"):
        return PersonalNumber(required=True)
    if question.type == "several_people":
        alone = [validate.Length(min=1), *_alone(question)]
        return fields.List(ChosenPerson(), required=True, validate=alone)
    if question.type == "organisation_number":
        return OrganisationNumber(required=True)
    if question.type == "address":
        return Address(required=True)
    checks: list[Any] = [validate.Length(min=1, max=question.max_length, error=TOO_LONG)]
    if question.pattern:
        wrong = question.pattern_error["en"] if question.pattern_error else None
        checks.append(validate.Regexp(question.pattern, error=wrong))
    return fields.String(required=True, validate=checks)


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def clean_answer(question: Question, value: Any, language: str | None = None) -> Any:
    """One answer validated by its question's field, as a JSON value; raises ValidationError.
    `language` is the language a page's answer was typed in; None for JSON and stored answers."""
    return _json_value(field_for(question, language).deserialize(value))


MISSING = "An answer is required."


def is_blank(value: Any) -> bool:
    """Nothing was answered: no value, an empty text or list, an address with no part typed."""
    return value is None or value == "" or value == [] or is_blank_address(value)

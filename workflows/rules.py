"""The one evaluator: which questions are asked, which answers are valid, which steps apply.

Pages, the API and the workflows all call these functions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError, fields, validate
from stdnum.exceptions import InvalidChecksum, InvalidComponent
from stdnum.exceptions import ValidationError as ValidationError_
from stdnum.se import orgnr, personnummer

# The service keeps Sweden's calendar, as the agencies do: `today()` is the date in Sweden.
from agencies.clock import today

from .address import Address, is_blank_address
from .declarations import PERSON_FIELDS, Condition, LifeEvent, Question, Step
from .numbers import Number
from .statuses import StepStatus


def holds(condition: Condition | None, answers: Mapping[str, Any]) -> bool:
    """Whether a condition is true of the answers; an unanswered question makes it false."""
    if condition is None:
        return True
    if condition.kind == "all":
        return all(holds(child, answers) for child in condition.children)
    if condition.kind == "any":
        return any(holds(child, answers) for child in condition.children)
    if condition.kind == "not":
        return not holds(condition.children[0], answers)
    if condition.answer not in answers:
        return False
    given, wanted = answers[condition.answer], condition.value
    if condition.operator == "equals":
        return bool(given == wanted)
    if condition.operator == "in":
        return given in wanted
    if condition.operator == "contains":
        return isinstance(given, list) and wanted in given
    try:
        if condition.operator == "gte":
            return bool(given >= wanted)
        return bool(given <= wanted)
    except TypeError:
        return False


def applicable_questions(event: LifeEvent, answers: Mapping[str, Any]) -> list[Question]:
    """The questions asked, given the answers so far (a condition reads only earlier questions)."""
    return [question for question in event.questions if holds(question.when, answers)]


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
        if len(chosen) > 1 and alone & set(chosen):
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


def field_for(question: Question, language: str | None = None) -> fields.Field:
    """The marshmallow field that validates one question's answer; `language` is how the
    answer was typed (a number's decimal mark), None for JSON."""
    values = [option.value for option in question.options]
    if question.type == "yes_no":
        return fields.Boolean(required=True)
    if question.type == "one_of":
        return fields.String(required=True, validate=validate.OneOf(values))
    if question.type == "several_of":
        return fields.List(
            fields.String(validate=validate.OneOf(values)),
            required=True,
            validate=[validate.Length(min=1), *_alone(question)],
        )
    if question.type == "date":
        return fields.Date(required=True, validate=_date_range(question))
    if question.type == "number":
        return Number(
            language,
            required=True,
            validate=validate.Range(min=question.minimum, max=question.maximum),
        )
    if question.type == "personal_number":
        return PersonalNumber(required=True)
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


@dataclass(frozen=True)
class AnswerCheck:
    """The answers to the questions that apply, cleaned, and what is wrong or missing."""

    clean: dict[str, Any]
    invalid: dict[str, list[str]]
    missing: list[str]

    @property
    def errors(self) -> dict[str, list[str]]:
        """Every problem, by question id."""
        return {**self.invalid, **{question: [MISSING] for question in self.missing}}


def check_answers(event: LifeEvent, raw: Mapping[str, Any]) -> AnswerCheck:
    """Clean the answers to the questions that apply, in order.

    Answers to questions that do not apply are dropped; an unknown key is invalid.
    """
    known = {question.id for question in event.questions}
    invalid: dict[str, list[str]] = {key: ["Unknown question."] for key in raw if key not in known}
    clean: dict[str, Any] = {}
    missing: list[str] = []
    for question in event.questions:
        if not holds(question.when, clean):
            continue
        value = raw.get(question.id)
        if is_blank(value):
            missing.append(question.id)
            continue
        try:
            clean[question.id] = clean_answer(question, value)
        except ValidationError as error:
            messages = error.messages
            invalid[question.id] = messages if isinstance(messages, list) else [str(messages)]
    return AnswerCheck(clean, invalid, missing)


def validate_answers(
    event: LifeEvent, raw: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The clean answers and every error; a complete, valid set has no errors."""
    check = check_answers(event, raw)
    return check.clean, check.errors


@dataclass(frozen=True)
class StepPlan:
    """A step as it applies to one set of answers."""

    step: Step
    status: StepStatus
    depends_on: tuple[str, ...]
    fields: tuple[str, ...]

    @property
    def id(self) -> str:
        """The step's id in the definition."""
        return self.step.id


def plan_steps(event: LifeEvent, answers: Mapping[str, Any]) -> list[StepPlan]:
    """The steps that apply, with the fields each receives and the steps it waits for.

    A step waits for the nearest applying steps up its declared dependencies (a step that does
    not apply passes its own dependencies on). It receives only the fields that have a value:
    the person's, the answers to questions asked, and what the steps it waits for produce.
    An `inform` step is `not_needed` and receives nothing.
    """
    by_id = {step.id: step for step in event.steps}
    applying = [step for step in event.steps if holds(step.when, answers)]
    applying_ids = {step.id for step in applying}
    asked = {question.id for question in applicable_questions(event, answers)}

    def nearest(step_id: str) -> set[str]:
        if step_id in applying_ids:
            return {step_id}
        return set().union(*(nearest(d) for d in by_id[step_id].depends_on))

    waits = {step.id: set().union(*(nearest(d) for d in step.depends_on)) for step in applying}
    produced: dict[str, set[str]] = {}

    def produced_by(step_id: str) -> set[str]:
        """What a step and every step before it produce (an `inform` step produces nothing)."""
        if step_id not in produced:
            step = by_id[step_id]
            own = set(step.produces) if step.action == "submit" else set()
            produced[step_id] = own.union(*(produced_by(d) for d in waits[step_id]))
        return produced[step_id]

    plans = []
    for step in applying:
        available = asked | set(PERSON_FIELDS) | set().union(*map(produced_by, waits[step.id]))
        plans.append(
            StepPlan(
                step=step,
                status=StepStatus.NOT_NEEDED if step.action == "inform" else StepStatus.PENDING,
                depends_on=tuple(s.id for s in applying if s.id in waits[step.id]),
                fields=tuple(f for f in step.fields if f in available)
                if step.action == "submit"
                else (),
            )
        )
    return plans


def field_values(
    plan_fields: tuple[str, ...],
    answers: Mapping[str, Any],
    person: Mapping[str, Any],
    produced: Mapping[str, Any],
) -> dict[str, Any]:
    """The values of a step's fields and of nothing else."""
    values: dict[str, Any] = {}
    for name in plan_fields:
        if name in PERSON_FIELDS:
            values[name] = person.get(name)
        elif name in answers:
            values[name] = answers[name]
        elif name in produced:
            values[name] = produced[name]
    return values


def question_pages(event: LifeEvent) -> list[tuple[str, list[Question]]]:
    """The journey's pages: one question each, or a declared group of questions together."""
    pages: list[tuple[str, list[Question]]] = []
    for question in event.questions:
        if question.group and pages and pages[-1][0] == question.group:
            pages[-1][1].append(question)
        else:
            pages.append((question.group or question.id, [question]))
    return pages


def applicable_pages(
    event: LifeEvent, answers: Mapping[str, Any]
) -> list[tuple[str, list[Question]]]:
    """The pages asked given the answers so far, each with its questions that apply."""
    asked = {question.id for question in applicable_questions(event, answers)}
    pages = []
    for key, questions in question_pages(event):
        shown = [question for question in questions if question.id in asked]
        if shown:
            pages.append((key, shown))
    return pages

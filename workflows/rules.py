"""The one evaluator: which questions are asked, which answers are valid, which steps apply.

Pages, the API and the workflows all call these functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from marshmallow import ValidationError

from agencies.municipalities import FAMILY, agency_id, code_of, is_code

from .answer_fields import (
    FUTURE,
    MISSING,
    NOT_A_DATE,
    NOT_ALONE,
    PAST,
    TOO_LONG,
    WRONG_CHECK_DIGIT,
    WRONG_LENGTH,
    clean_answer,
    field_for,
    identity_number_problem,
    is_blank,
)
from .declarations import PERSON_FIELDS, Condition, LifeEvent, Question, Step
from .people import derived_value, includes
from .statuses import StepStatus

__all__ = [
    "FUTURE",
    "MISSING",
    "NOT_ALONE",
    "NOT_A_DATE",
    "PAST",
    "TOO_LONG",
    "WRONG_CHECK_DIGIT",
    "WRONG_LENGTH",
    "AnswerCheck",
    "StepPlan",
    "applicable_pages",
    "applicable_questions",
    "check_answers",
    "clean_answer",
    "field_for",
    "field_values",
    "holds",
    "identity_number_problem",
    "is_blank",
    "may_receive",
    "plan_steps",
    "question_pages",
    "validate_answers",
]


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
    if condition.operator == "includes":
        return includes(given, wanted)
    try:
        if condition.operator == "gte":
            return bool(given >= wanted)
        return bool(given <= wanted)
    except TypeError:
        return False


def applicable_questions(event: LifeEvent, answers: Mapping[str, Any]) -> list[Question]:
    """The questions asked, given the answers so far (a condition reads only earlier questions)."""
    return [question for question in event.questions if holds(question.when, answers)]


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
            invalid[question.id] = flat_messages(error.messages)
    return AnswerCheck(clean, invalid, missing)


def flat_messages(messages: Any, within: str = "") -> list[str]:
    """A field's messages as sentences: those of a list's entries (marshmallow keys them by
    index) name the entry, counted from 1 ("Entry 2: ...")."""
    if isinstance(messages, Mapping):
        return [
            line
            for key, inner in messages.items()
            for line in flat_messages(inner, f"Entry {key + 1}: " if isinstance(key, int) else "")
        ]
    if isinstance(messages, list | tuple):
        return [line for inner in messages for line in flat_messages(inner, within)]
    return [f"{within}{messages}"]


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
    applying = [
        resolved
        for step in event.steps
        if holds(step.when, answers) and (resolved := addressed(step, answers)) is not None
    ]
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
        available |= {name for name in step.fields if name.partition(".")[0] in asked}
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


def addressed(step: Step, answers: Mapping[str, Any]) -> Step | None:
    """The step with the agency that receives it: a municipality's step goes to the
    municipality its answer (or its fixed code) names; None while no answer names one."""
    if step.agency != FAMILY:
        return step
    chosen = step.municipality or ""
    code = answers.get(chosen, chosen)
    return replace(step, agency=agency_id(code)) if is_code(code) else None


def may_receive(agency: str, step: Step) -> bool:
    """Whether `agency` can receive the step: the agency it names, or for a municipality's
    step any municipality its answers may name (only its own for a fixed code)."""
    if step.agency != FAMILY:
        return step.agency == agency
    code = code_of(agency)
    return code is not None and (not is_code(step.municipality) or step.municipality == code)


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
        elif "." in name and name.partition(".")[0] in answers:
            values[name] = derived_value(answers, name)
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

"""Properties of the one evaluator, for any answers a shipped definition allows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agencies import clock
from agencies.population import REGISTER_ONLY, TEST_POPULATION
from workflows.lifeevents import PERSON_FIELDS, LifeEvent, Question, catalogue
from workflows.rules import check_answers, field_values, holds, plan_steps

EVENTS = sorted(catalogue())
PERSONAL_NUMBERS = [r.personal_number for r in TEST_POPULATION + REGISTER_ONLY]
PEOPLE = [
    {"personal_number": r.personal_number, "name": r.name, "first_name": r.name.split()[0]}
    | {"born": int(r.personal_number[:4])}
    | {"relation": "child" if r.personal_number > "2008" else "spouse"}
    for r in TEST_POPULATION + REGISTER_ONLY
]
text_values = st.text(
    st.characters(codec="utf-8", categories=("L", "N", "Zs")), min_size=1, max_size=40
).filter(str.strip)


def value_for(question: Question) -> st.SearchStrategy[Any]:
    """Answers the question accepts, in the shapes a browser or an API client sends."""
    options = [option.value for option in question.options]
    if question.type == "yes_no":
        return st.booleans()
    if question.type in ("one_of", "municipality"):
        return st.sampled_from(options)
    if question.type == "several_of":  # an exclusive option ("None of these") alone
        alone = [st.just([option.value]) for option in question.options if option.exclusive]
        others = [option.value for option in question.options if not option.exclusive]
        return st.one_of(st.lists(st.sampled_from(others), min_size=1, unique=True), *alone)
    if question.type == "date":
        today = clock.today()
        low = today if question.date_range == "future" else dt.date(2020, 1, 1)
        high = today if question.date_range == "past" else dt.date(2035, 12, 31)
        if question.window:  # the dates the question accepts around today
            earliest, latest = question.window.bounds(today)
            low, high = max(low, earliest or low), min(high, latest or high)
        return st.dates(low, high).map(dt.date.isoformat)
    if question.type == "number":
        low = question.minimum if question.minimum is not None else -1e6
        high = question.maximum if question.maximum is not None else 1e9
        return st.integers(int(low), int(high))
    if question.type in ("personal_number", "one_person"):
        return st.sampled_from(PERSONAL_NUMBERS)
    if question.type == "several_people":  # as kept: people the register listed, or no one
        chosen = st.lists(st.sampled_from(range(len(PEOPLE))), min_size=1, max_size=3, unique=True)
        return st.one_of(chosen.map(lambda picked: [PEOPLE[i] for i in picked]), st.just(["none"]))
    if question.type == "organisation_number":
        return st.sampled_from(["556012-5790", "5560125790", "802002-4280"])
    if question.type == "address":
        return st.fixed_dictionaries(
            {
                "street": text_values,
                "postal_code": st.from_regex(r"\A\d{3} ?\d{2}\Z"),
                "city": text_values,
            }
        )
    if question.pattern:
        return st.from_regex(question.pattern, fullmatch=True).filter(
            lambda value: 0 < len(value) <= question.max_length
        )
    return text_values.map(lambda value: value[: question.max_length])


@st.composite
def allowed_answers(draw: st.DrawFn, event: LifeEvent) -> dict[str, Any]:
    """A complete answer set: each question asked given the answers before it is answered."""
    answers: dict[str, Any] = {}
    for question in event.questions:
        if holds(question.when, answers):
            answers[question.id] = draw(value_for(question))
    # Now and then an answer to a question that is not asked: it must be dropped.
    for question in event.questions:
        if question.id not in answers and draw(st.booleans()):
            answers[question.id] = draw(value_for(question))
    return answers


@st.composite
def event_and_answers(draw: st.DrawFn) -> tuple[LifeEvent, dict[str, Any]]:
    event = catalogue()[draw(st.sampled_from(EVENTS))]
    return event, draw(allowed_answers(event))


PROPERTIES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTIES
@given(event_and_answers())
def test_any_allowed_answers_are_complete_and_valid(case: tuple[LifeEvent, dict[str, Any]]) -> None:
    event, raw = case
    check = check_answers(event, raw)
    assert check.invalid == {} and check.missing == []


@PROPERTIES
@given(event_and_answers())
def test_the_applicable_steps_form_a_dag_whose_dependencies_all_apply(
    case: tuple[LifeEvent, dict[str, Any]],
) -> None:
    event, raw = case
    plans = plan_steps(event, check_answers(event, raw).clean)
    ids = [plan.id for plan in plans]
    assert len(ids) == len(set(ids))
    by_id = {plan.id: plan for plan in plans}
    for plan in plans:
        for dependency in plan.depends_on:
            assert dependency in by_id
            assert by_id[dependency].status in ("pending", "not_needed")
    # A topological order exists: repeatedly remove steps whose dependencies are removed.
    remaining = set(ids)
    while remaining:
        free = {i for i in remaining if not set(by_id[i].depends_on) & remaining}
        assert free, f"dependency cycle among {sorted(remaining)}"
        remaining -= free


@PROPERTIES
@given(event_and_answers())
def test_a_step_still_waits_for_every_applying_step_it_declared_upstream(
    case: tuple[LifeEvent, dict[str, Any]],
) -> None:
    event, raw = case
    plans = {plan.id: plan for plan in plan_steps(event, check_answers(event, raw).clean)}

    def declared_upstream(step_id: str) -> set[str]:
        found: set[str] = set()
        for dependency in event.step(step_id).depends_on:
            found |= {dependency} | declared_upstream(dependency)
        return found

    def planned_upstream(step_id: str) -> set[str]:
        found: set[str] = set()
        for dependency in plans[step_id].depends_on:
            found |= {dependency} | planned_upstream(dependency)
        return found

    for step_id in plans:
        assert declared_upstream(step_id) & set(plans) == planned_upstream(step_id)


@PROPERTIES
@given(event_and_answers())
def test_each_step_receives_exactly_its_declared_fields_that_have_a_value(
    case: tuple[LifeEvent, dict[str, Any]],
) -> None:
    event, raw = case
    clean = check_answers(event, raw).clean
    person = {"personal_number": "19850312-2387", "name": "Anna Lindqvist"}
    plans = plan_steps(event, clean)
    outputs = {plan.id: {name: f"from {plan.id}" for name in plan.step.produces} for plan in plans}
    by_id = {plan.id: plan for plan in plans}

    def produced_upstream(step_id: str) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for dependency in by_id[step_id].depends_on:
            if by_id[dependency].status == "pending":
                found |= outputs[dependency]
            found |= produced_upstream(dependency)
        return found

    for plan in plans:
        assert set(plan.fields) <= set(plan.step.fields)
        if plan.status == "not_needed":
            assert plan.fields == ()
            continue
        values = field_values(plan.fields, clean, person, produced_upstream(plan.id))
        assert list(values) == list(plan.fields)
        assert all(value is not None for value in values.values())
        for name in set(plan.step.fields) - set(plan.fields):
            assert name not in PERSON_FIELDS and name not in clean

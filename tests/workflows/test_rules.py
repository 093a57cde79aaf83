"""The evaluator: which questions are asked, which answers are valid, which steps apply."""

from __future__ import annotations

from workflows.lifeevents import catalogue
from workflows.rules import (
    applicable_pages,
    applicable_questions,
    check_answers,
    field_values,
    plan_steps,
    validate_answers,
)

MOVING = catalogue()["moving"]


def answers(**changes: object) -> dict[str, object]:
    base = dict(MOVING.example_answers)
    base.update(changes)
    return {key: value for key, value in base.items() if value is not None}


def test_the_example_answers_are_complete_and_valid() -> None:
    clean, errors = validate_answers(MOVING, MOVING.example_answers)
    assert errors == {}
    assert clean["move_date"] == "2026-12-15"


def test_the_school_phone_is_asked_only_when_a_child_of_school_age_moves() -> None:
    asked = [q.id for q in applicable_questions(MOVING, {"moving_along": ["none"]})]
    assert "contact_phone" not in asked
    asked = [q.id for q in applicable_questions(MOVING, answers())]
    assert "contact_phone" in asked


def test_answers_to_questions_that_do_not_apply_are_dropped() -> None:
    clean, errors = validate_answers(MOVING, answers(moving_along=["none"]))
    assert errors == {}
    assert "contact_phone" not in clean


def test_conditional_steps_follow_the_answers() -> None:
    with_children = {plan.id for plan in plan_steps(MOVING, answers())}
    assert {"school-transfer", "children-change-of-address", "housing-allowance"} <= with_children
    without = {
        plan.id
        for plan in plan_steps(
            MOVING,
            answers(
                moving_along=["none"],
                housing="own",
                housing_allowance=None,
            ),
        )
    }
    assert "school-transfer" not in without and "housing-allowance" not in without
    assert "children-change-of-address" not in without
    assert "change-of-address" in without


def test_an_inform_step_is_not_needed_and_receives_nothing() -> None:
    vehicle = next(plan for plan in plan_steps(MOVING, answers()) if plan.id == "vehicle-register")
    assert vehicle.status == "not_needed"
    assert vehicle.fields == ()


def test_dependencies_on_steps_that_do_not_apply_are_dropped() -> None:
    plans = {plan.id: plan for plan in plan_steps(MOVING, answers(studying=True))}
    assert plans["student-finance-address"].depends_on == ("change-of-address",)


def test_bad_answers_are_named_per_question() -> None:
    check = check_answers(
        MOVING, answers(move_date="15/12", new_postal_code="1", new_municipality="oslo", extra=1)
    )
    assert set(check.invalid) == {"move_date", "new_postal_code", "new_municipality", "extra"}


def test_missing_answers_are_listed_in_order() -> None:
    check = check_answers(MOVING, {"move_date": "2026-12-15"})
    assert check.missing[:3] == ["new_street", "new_postal_code", "new_municipality"]


def test_a_step_receives_its_fields_and_nothing_else() -> None:
    values = field_values(
        ("personal_number", "move_date"),
        answers(),
        {"personal_number": "19850312-2387", "name": "Anna Lindqvist"},
        {"organisation_number": "x"},
    )
    assert values == {"personal_number": "19850312-2387", "move_date": "2026-12-15"}


def test_the_address_questions_share_one_page() -> None:
    pages = dict(applicable_pages(MOVING, {}))
    assert [q.id for q in pages["new_address"]] == [
        "new_street",
        "new_postal_code",
        "new_municipality",
    ]

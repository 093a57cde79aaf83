"""Plausible answers: each date question accepts a declared window of dates around today and
says why when it refuses one; an exclusive option stands alone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from agencies import clock
from agencies.catalogue import AGENCIES
from workflows.lifeevents import DefinitionError, catalogue, load_definition
from workflows.rules import NOT_ALONE, plan_steps, validate_answers


def test_every_shipped_date_question_declares_its_window_and_why() -> None:
    for event in catalogue().values():
        for question in event.questions:
            if question.type == "date":
                assert question.window is not None, (event.id, question.id)
                assert question.window.reason["sv"] and question.window.reason["en"]


@pytest.mark.parametrize(("days", "accepted"), [(-8, False), (-7, True), (365, True), (366, False)])
def test_a_move_date_is_from_a_week_back_to_a_year_ahead(days: int, accepted: bool) -> None:
    moving = catalogue()["moving"]
    day = clock.today() + dt.timedelta(days=days)
    answers = {**moving.example_answers, "move_date": day.isoformat()}
    _clean, errors = validate_answers(moving, answers)
    assert ("move_date" not in errors) is accepted
    if not accepted:
        assert "within a week of moving" in errors["move_date"][0]  # the rule, in plain words


def test_a_move_in_2020_or_2030_is_refused() -> None:
    moving = catalogue()["moving"]
    for day in ("2020-05-01", "2030-05-01"):
        _clean, errors = validate_answers(moving, {**moving.example_answers, "move_date": day})
        assert errors["move_date"][0].startswith("Choose a date from")


def test_none_of_these_cannot_be_ticked_with_another_option() -> None:
    bereavement = catalogue()["bereavement"]
    answers = {**bereavement.example_answers, "received": ["pension", "nothing"]}
    _clean, errors = validate_answers(bereavement, answers)
    assert errors["received"] == [NOT_ALONE]


def test_every_step_says_why_it_applies_in_both_languages() -> None:
    for event in catalogue().values():
        for step in event.steps:
            assert len(step.reason["sv"].split()) >= 5, (event.id, step.id)
            assert len(step.reason["en"].split()) >= 5, (event.id, step.id)


def dated(window: Any) -> dict[str, Any]:
    text = {"sv": "Text", "en": "Text"}
    question = {"id": "day", "type": "date", "text": text, "window": window}
    step = {"id": "a", "agency": "skatteverket", "title": text, "reason": text, "fields": ["day"]}
    return {
        "id": "example",
        "title": text,
        "description": text,
        "questions": [question],
        "steps": [step],
    }


@pytest.mark.parametrize(
    ("window", "message"),
    [
        ({"days_before": 7}, "one entry per language"),
        ({"reason": {"sv": "Text", "en": "Text"}}, "needs 'days_before', 'days_after' or both"),
        ({"days_before": -1, "reason": {"sv": "T", "en": "T"}}, "0 or more"),
        ({"weeks": 1, "reason": {"sv": "T", "en": "T"}}, "unknown field 'weeks'"),
    ],
)
def test_a_wrong_window_is_refused(tmp_path: Path, window: Any, message: str) -> None:
    path = tmp_path / "example.yaml"
    path.write_text(yaml.safe_dump(dated(window), allow_unicode=True), encoding="utf-8")
    with pytest.raises(DefinitionError, match=r"questions\[0\] \(day\)\.window"):
        load_definition(path, set(AGENCIES))
    with pytest.raises(DefinitionError) as refused:
        load_definition(path, set(AGENCIES))
    assert message in str(refused.value)


def test_a_limited_company_registers_its_beneficial_owners_and_the_fees_are_shown() -> None:
    event = catalogue()["start-business"]
    clean, errors = validate_answers(event, event.example_answers)
    assert errors == {}
    plans = {plan.id: plan for plan in plan_steps(event, clean)}
    owners = plans["beneficial-owners"]
    assert owners.step.agency == "bolagsverket" and owners.depends_on == ("register-company",)
    assert "organisation_number" in owners.fields and "ownership_share" in owners.fields
    fee = event.step("register-company").next_step
    assert fee and "1 900 kronor" in fee["sv"] and "1,900 kronor" in fee["en"]
    sole = {**event.example_answers, "business_form": "sole_trader", "register_name": True}
    clean, _errors = validate_answers(event, sole)
    assert "beneficial-owners" not in {plan.id for plan in plan_steps(event, clean)}

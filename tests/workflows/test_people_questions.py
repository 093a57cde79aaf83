"""Questions answered by choosing people the population register lists: what the loader
takes, how a choice is offered (never by personal identity number), how it is resolved
against the register's list, and what the conditions and fields read of it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from marshmallow import ValidationError

from agencies import clock
from agencies.catalogue import AGENCIES
from agencies.registers.simulated import population
from workflows.lifeevents import DefinitionError, catalogue, load_definition
from workflows.people import as_choice, derived_value, includes, keys_of, people_text, resolve
from workflows.rules import check_answers, field_values, plan_steps

ANNA, ERIK, MAJA, OLLE = "19850312-2387", "19870715-4574", "20150411-3893", "20191102-7496"
MOVING = catalogue()["moving"]
ALONG = MOVING.question("moving_along")
TEXT = {"sv": "Text", "en": "Text"}


def household() -> list[dict[str, Any]]:
    return list(population(ANNA, dt.date(2026, 12, 6))["household"])


def definition(question: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "example",
        "title": TEXT,
        "description": TEXT,
        "questions": [{"id": "who", "text": TEXT, **question}],
        "steps": [
            {"id": "a", "agency": "skatteverket", "legal_basis": "consent"}
            | {"title": TEXT, "reason": TEXT, "fields": ["personal_number"]}
        ],
    }


def load(tmp_path: Path, raw: dict[str, Any]) -> Any:
    path = tmp_path / "example.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return load_definition(path, set(AGENCIES))


def test_the_page_offers_first_name_year_and_relation_under_keys_not_numbers() -> None:
    asked = as_choice(ALONG, household())
    assert asked.type == "several_of"
    shown = [(option.value, option.text["sv"], option.text["en"]) for option in asked.options]
    assert shown == [
        (
            "spouse-1987-1",
            "Erik, född 1987 (make, maka eller partner)",
            "Erik, born 1987 (spouse or partner)",
        ),
        ("child-2015-1", "Maja, född 2015 (barn)", "Maja, born 2015 (child)"),
        ("child-2019-1", "Olle, född 2019 (barn)", "Olle, born 2019 (child)"),
        ("none", "Ingen, bara jag", "No one, only me"),
    ]
    assert asked.options[-1].exclusive
    assert not any(number[:8] in str(asked.options) for number in (ERIK, MAJA, OLLE))


def test_a_child_not_yet_named_is_offered_by_the_date_of_birth() -> None:
    newborn = {"personal_number": "20261203-1008", "name": "Ek", "first_name": ""}
    texts = as_choice(
        catalogue()["new-baby"].question("child"), [newborn | {"born": 2026, "relation": "child"}]
    )
    assert texts.type == "one_of"
    assert texts.options[0].text == {
        "sv": "Ditt barn, fött 3 december 2026",
        "en": "Your child, born 3 December 2026",
    }


def test_keys_numbers_and_kept_entries_resolve_to_the_people_listed_and_no_one_else() -> None:
    members = household()
    kept = resolve(ALONG, ["spouse-1987-1", MAJA], members)
    assert [m["personal_number"] for m in kept] == [ERIK, MAJA]
    assert kept[1] == {
        "personal_number": MAJA,
        "name": "Maja Lindqvist",
        "first_name": "Maja",
        "born": 2015,
        "relation": "child",
    }
    assert resolve(ALONG, kept, members) == kept  # a kept answer is checked again, unchanged
    assert resolve(ALONG, ["none"], members) == ["none"]
    with pytest.raises(ValidationError) as refused:
        resolve(ALONG, [MAJA, "19440225-3274"], members)  # Karin lives elsewhere
    assert "19440225-3274 is not among the people" in str(refused.value.messages)
    with pytest.raises(ValidationError):
        resolve(ALONG, ["child-2030-1"], members)
    child = catalogue()["new-baby"].question("child")
    assert resolve(child, "child-2015-1", members) == MAJA  # one person: the number is kept
    with pytest.raises(ValidationError):
        resolve(child, "19440225-3274", members)


def test_a_kept_answer_must_be_people_and_no_one_stands_alone() -> None:
    kept = resolve(ALONG, [MAJA], household())
    answers = {**MOVING.example_answers, "moving_along": kept}
    assert check_answers(MOVING, answers).invalid == {}
    for wrong in ([MAJA], [{"personal_number": MAJA}], ["none", *kept]):
        check = check_answers(MOVING, {**answers, "moving_along": wrong})
        assert "moving_along" in check.invalid, wrong
    # an entry's message names the entry, as a sentence, not a structure
    check = check_answers(MOVING, {**answers, "moving_along": [*kept, MAJA]})
    assert check.invalid["moving_along"] == [
        "Entry 2: Choose from the people the population register lists for you."
    ]


def test_conditions_follow_the_ages_and_relations_of_the_people_chosen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    members = household()
    only_maja = resolve(ALONG, [MAJA], members)
    assert includes(only_maja, "school_age_child") and includes(only_maja, "child")
    assert not includes(only_maja, "spouse") and not includes(only_maja, "preschool_age_child")
    assert includes(resolve(ALONG, [ERIK], members), "spouse")
    assert not includes(["none"], "child")
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2022, 6, 1, 12, tzinfo=dt.UTC))
    assert includes(resolve(ALONG, [OLLE], members), "preschool_age_child")  # Olle was two


def test_the_children_field_carries_each_chosen_childs_number_and_name_only() -> None:
    kept = resolve(ALONG, [ERIK, MAJA, OLLE], household())
    answers = check_answers(MOVING, {**MOVING.example_answers, "moving_along": kept}).clean
    plans = {plan.id: plan for plan in plan_steps(MOVING, answers)}
    assert {"spouse-change-of-address", "children-change-of-address"} <= set(plans)
    values = field_values(plans["children-change-of-address"].fields, answers, {}, {})
    assert values["moving_along.children"] == [
        {"personal_number": MAJA, "name": "Maja Lindqvist"},
        {"personal_number": OLLE, "name": "Olle Lindqvist"},
    ]
    assert derived_value({"moving_along": ["none"]}, "moving_along.children") == []
    assert people_text(ALONG, kept, "en") == (
        "Erik, born 1987 (spouse or partner), Maja, born 2015 (child), Olle, born 2019 (child)"
    )
    assert people_text(ALONG, ["none"], "sv") == "Ingen, bara jag"


def test_keys_stay_apart_for_two_children_born_the_same_year() -> None:
    twins = [
        {"personal_number": MAJA, "born": 2015, "relation": "child"},
        {"personal_number": "20150411-3901", "born": 2015, "relation": "child"},
    ]
    assert list(keys_of(twins)) == ["child-2015-1", "child-2015-2"]


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (
            {"type": "several_people", "people_from": "population.children"},
            "'population.children' is no register fact that lists people",
        ),
        (
            {"type": "one_person", "people_from": "population.name"},
            "'population.name' is no register fact that lists people",
        ),
        ({"type": "several_people"}, "'' is no register fact that lists people"),
        (
            {"type": "text", "people_from": "population.household"},
            "only a one_person or several_people question",
        ),
        (
            {"type": "one_person", "people_from": "population.guardian_of", "none_option": TEXT},
            "only a several_people question has one",
        ),
    ],
)
def test_the_loader_refuses_a_list_that_is_no_register_fact_listing_people(
    tmp_path: Path, question: dict[str, Any], message: str
) -> None:
    with pytest.raises(DefinitionError) as refused:
        load(tmp_path, definition(question))
    assert "questions[0] (who)" in str(refused.value) and message in str(refused.value)


def test_the_loader_takes_includes_only_of_people_and_of_a_known_kind(tmp_path: Path) -> None:
    raw = definition({"type": "several_people", "people_from": "population.household"})
    raw["steps"][0]["when"] = {"answer": "who", "includes": "child"}
    raw["steps"][0]["fields"] = ["personal_number", "who.children"]
    assert load(tmp_path, raw).steps[0].fields == ("personal_number", "who.children")
    raw["steps"][0]["when"] = {"answer": "who", "includes": "cousin"}
    with pytest.raises(DefinitionError, match="'includes' takes one of"):
        load(tmp_path, raw)
    raw = definition({"type": "yes_no"})
    raw["steps"][0]["when"] = {"answer": "who", "includes": "child"}
    with pytest.raises(DefinitionError, match="'includes' is asked of a several_people"):
        load(tmp_path, raw)

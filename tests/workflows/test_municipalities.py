"""Sweden's 290 municipalities: the shipped list, each an agency of its own, and the loader
refusing a definition that names a municipality that does not exist."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from agencies.catalogue import AGENCIES, all_agency_queues, queue_for
from agencies.municipalities import MUNICIPALITIES, agency_id, code_of, swedish_name
from workflows.lifeevents import DefinitionError, catalogue, load_definition
from workflows.rules import plan_steps, validate_answers

# SCB's county codes (the first two digits of a municipality's code) and their counts.
COUNTIES = {
    "01": 26, "03": 8, "04": 9, "05": 13, "06": 13, "07": 8, "08": 12, "09": 1, "10": 5,
    "12": 33, "13": 6, "14": 49, "17": 16, "18": 12, "19": 10, "20": 15, "21": 10, "22": 7,
    "23": 8, "24": 15, "25": 14,
}  # fmt: skip


def test_the_list_holds_the_290_municipalities_once_each_with_scb_codes() -> None:
    assert len(MUNICIPALITIES) == 290
    assert len(set(MUNICIPALITIES.values())) == 290  # no name twice either
    assert all(re.fullmatch(r"\d{4}", code) for code in MUNICIPALITIES)
    by_county: dict[str, int] = {}
    for code in MUNICIPALITIES:
        by_county[code[:2]] = by_county.get(code[:2], 0) + 1
    assert by_county == COUNTIES
    known = {"0180": "Stockholm", "0380": "Uppsala", "1280": "Malmö", "1480": "Göteborg"}
    assert {code: MUNICIPALITIES[code] for code in known} == known
    assert MUNICIPALITIES["2584"] == "Kiruna" and MUNICIPALITIES["0980"] == "Gotland"


def test_each_municipality_is_an_agency_of_its_own_on_one_shared_queue() -> None:
    for code in MUNICIPALITIES:
        agency = AGENCIES[agency_id(code)]
        assert agency.name["sv"] and agency.name["en"]
        assert queue_for(agency.id) == "agency.kommun"
        assert code_of(agency.id) == code
    assert all_agency_queues().count("agency.kommun") == 1
    assert "kommun" not in AGENCIES  # a step always reaches one named municipality
    assert [swedish_name(c) for c in ("0380", "0580", "2080", "0980")] == [
        "Uppsala kommun",
        "Linköpings kommun",
        "Falu kommun",
        "Region Gotland",
    ]


def test_answers_hold_the_code_and_each_step_goes_to_the_municipality_it_names() -> None:
    moving = catalogue()["moving"]
    toddler = {"personal_number": "20230115-1003", "name": "Ida Lindqvist", "born": 2023}
    along = [*moving.example_answers["moving_along"], toddler | {"relation": "child"}]
    answers = {**moving.example_answers, "new_municipality": "2584", "moving_along": along}
    clean, errors = validate_answers(moving, answers)
    assert errors == {}
    agencies = {plan.id: plan.step.agency for plan in plan_steps(moving, clean)}
    assert agencies["school-transfer"] == agencies["preschool-transfer"] == "kommun_2584"
    assert agencies["school-leaving"] == agencies["preschool-leaving"] == "kommun_0180"
    _clean, errors = validate_answers(moving, {**answers, "new_municipality": "uppsala"})
    assert "new_municipality" in errors  # a name is not a code


def definition() -> dict[str, Any]:
    text = {"sv": "Text", "en": "Text"}
    return {
        "id": "example",
        "title": text,
        "description": text,
        "questions": [{"id": "where", "type": "municipality", "text": text}],
        "steps": [
            {
                "id": "a",
                "agency": "kommun",
                "municipality": "where",
                "legal_basis": "consent",
                "title": text,
                "reason": text,
                "fields": ["where"],
            }
        ],
    }


def load(tmp_path: Path, raw: dict[str, Any]) -> Any:
    path = tmp_path / "example.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return load_definition(path, set(AGENCIES))


@pytest.mark.parametrize(
    ("change", "place", "message"),
    [
        (
            lambda d: d["steps"][0].update(municipality="9999"),
            "steps[0] (a).municipality",
            "unknown municipality code '9999'",
        ),
        (
            lambda d: d["steps"][0].update(agency="kommun_0999", municipality=None),
            "steps[0] (a).agency",
            "unknown municipality code '0999'",
        ),
        (
            lambda d: d["steps"][0].pop("municipality"),
            "steps[0] (a).municipality",
            "names a municipality question or a quoted code",
        ),
        (
            lambda d: d["steps"][0].update(when={"answer": "where", "equals": "uppsala"}),
            "steps[0] (a).when",
            "unknown municipality code 'uppsala'",
        ),
        (
            lambda d: d["questions"][0].update(options=[{"value": "x", "text": d["title"]}]),
            "questions[0] (where).options",
            "a municipality question lists them all",
        ),
        (
            lambda d: d["questions"][0].update(prefill="population.home_parish"),
            "questions[0] (where).prefill",
            "no register holds the fact 'population.home_parish'",
        ),
    ],
)
def test_the_loader_refuses_an_unknown_municipality_or_register_fact(
    tmp_path: Path, change: Any, place: str, message: str
) -> None:
    raw = definition()
    change(raw)
    if raw["steps"][0].get("municipality", "") is None:
        del raw["steps"][0]["municipality"]
    with pytest.raises(DefinitionError) as refused:
        load(tmp_path, raw)
    assert f"example.yaml: life event 'example': {place}: " in str(refused.value)
    assert message in str(refused.value)


def test_a_fixed_code_or_a_named_municipality_loads(tmp_path: Path) -> None:
    raw = definition()
    raw["steps"][0]["municipality"] = "0380"
    assert load(tmp_path, raw).steps[0].municipality == "0380"
    raw["steps"][0] = {**raw["steps"][0], "agency": "kommun_2584"}
    del raw["steps"][0]["municipality"]
    assert load(tmp_path, raw).steps[0].agency == "kommun_2584"

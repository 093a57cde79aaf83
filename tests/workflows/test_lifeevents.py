"""The definition loader: every shipped definition loads; each kind of mistake is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from agencies.catalogue import AGENCIES
from workflows.lifeevents import DefinitionError, load_all, load_definition


def minimal() -> dict[str, Any]:
    return {
        "id": "example",
        "title": text(),
        "description": text(),
        "questions": [
            {"id": "q1", "type": "yes_no", "text": text()},
            {"id": "q2", "type": "text", "text": text(), "when": {"answer": "q1", "equals": True}},
        ],
        "steps": [
            {
                "id": "a",
                "agency": "skatteverket",
                "title": text(),
                "reason": text(),
                "fields": ["q1"],
                "legal_basis": {"law": {"sv": "folkbokföringslagen", "en": "the act"}},
            },
            {
                "id": "b",
                "agency": "kommun",
                "municipality": "0380",
                "title": text(),
                "reason": text(),
                "fields": ["q2", "personal_number"],
                "depends_on": ["a"],
                "legal_basis": "consent",
            },
        ],
    }


def text() -> dict[str, str]:
    return {"sv": "Text", "en": "Text"}


def load(tmp_path: Path, raw: dict[str, Any]) -> Any:
    path = tmp_path / "example.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return load_definition(path, set(AGENCIES))


def test_every_shipped_definition_loads() -> None:
    events = load_all()
    assert "moving" in events
    moving = events["moving"]
    assert len({step.agency for step in moving.steps}) >= 3
    assert any(step.depends_on for step in moving.steps)
    assert any(step.when for step in moving.steps)


def test_a_step_may_wait_for_a_role_s_confirmation(tmp_path: Path) -> None:
    raw = minimal()
    raw["steps"][0]["confirmed_by"] = "other_guardian"
    assert load(tmp_path, raw).step("a").confirmed_by == "other_guardian"
    assert load(tmp_path, {**minimal(), "confirmed_by": "other_guardian"}).confirmed_by


def test_a_correct_definition_loads_into_frozen_dataclasses(tmp_path: Path) -> None:
    event = load(tmp_path, minimal())
    assert [step.id for step in event.steps] == ["a", "b"]
    assert event.step("b").depends_on == ("a",)
    with pytest.raises(AttributeError):
        event.id = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("change", "place", "message"),
    [
        (lambda d: d["steps"][0].update(colour="red"), "steps[0] (a)", "unknown field 'colour'"),
        (
            lambda d: d["steps"][1].update(depends_on=["zzz"]),
            "steps[1] (b).depends_on",
            "missing step 'zzz'",
        ),
        (lambda d: d["steps"][0].update(depends_on=["b"]), "steps", "dependency cycle"),
        (
            lambda d: d["questions"][1].update(when={"answer": "nope", "equals": 1}),
            "questions[1] (q2).when",
            "unknown question 'nope'",
        ),
        (lambda d: d["steps"][0]["title"].pop("en"), "steps[0] (a).title", "missing the 'en' text"),
        (lambda d: d["title"].pop("sv"), "title", "missing the 'sv' text"),
        (
            lambda d: d["steps"][0].update(agency="nasa"),
            "steps[0] (a).agency",
            "unknown agency 'nasa'",
        ),
        (
            lambda d: d["steps"][0].update(fields=["shoe_size"]),
            "steps[0] (a).fields",
            "unknown field 'shoe_size'",
        ),
        (
            lambda d: d["questions"][0].update(type="colour"),
            "questions[0] (q1)",
            "unknown type 'colour'",
        ),
        (
            lambda d: d["steps"].append(minimal()["steps"][0]),
            "steps[2] (a)",
            "the step id 'a' is used twice",
        ),
        (
            lambda d: d["steps"][0].update(confirmed_by="neighbour"),
            "steps[0] (a).confirmed_by",
            "unknown role 'neighbour'",
        ),
        (lambda d: d.update(confirmed_by="neighbour"), "confirmed_by", "unknown role 'neighbour'"),
        (
            lambda d: d["steps"][1].pop("legal_basis"),
            "steps[1] (b).legal_basis",
            "needs a legal basis: add 'legal_basis: consent'",
        ),
        (
            lambda d: d["steps"][1].update(legal_basis="because"),
            "steps[1] (b).legal_basis",
            "not a legal basis: add 'legal_basis: consent'",
        ),
        (
            lambda d: d["steps"][1].update(handling="manual"),
            "steps[1] (b).appeal",
            "add 'appeal: {weeks: 3}'",
        ),
    ],
)
def test_a_broken_definition_is_refused_naming_the_file_event_and_place(
    tmp_path: Path, change: Any, place: str, message: str
) -> None:
    raw = minimal()
    change(raw)
    with pytest.raises(DefinitionError) as refused:
        load(tmp_path, raw)
    text = str(refused.value)
    assert text.startswith("example.yaml: life event 'example': ")
    assert place in text
    assert message in text


def test_a_condition_may_only_read_an_earlier_question(tmp_path: Path) -> None:
    raw = minimal()
    raw["questions"][0]["when"] = {"answer": "q2", "equals": "x"}
    with pytest.raises(
        DefinitionError, match=r"questions\[0\] \(q1\)\.when: condition on unknown question 'q2'"
    ):
        load(tmp_path, raw)


def test_invalid_yaml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(DefinitionError, match="broken.yaml: not valid YAML"):
        load_definition(path, set(AGENCIES))


def grouped() -> dict[str, Any]:
    """Two questions asked together on a page titled in both languages."""
    raw = minimal()
    raw["questions"].append({"id": "q3", "type": "text", "text": text(), "group": "together"})
    raw["questions"].append({"id": "q4", "type": "text", "text": text(), "group": "together"})
    raw["pages"] = {"together": {"sv": "Tillsammans", "en": "Together"}}
    return raw


def test_a_page_of_several_questions_has_its_own_title(tmp_path: Path) -> None:
    event = load(tmp_path, grouped())
    assert event.page_title("together") == {"sv": "Tillsammans", "en": "Together"}
    assert event.page_title("q1") is None
    for shipped in load_all().values():
        for question in shipped.questions:
            if question.group:
                assert shipped.page_title(question.group), (shipped.id, question.group)


@pytest.mark.parametrize(
    ("change", "place", "message"),
    [
        (lambda d: d.pop("pages"), "pages", "the page of questions 'together' needs a title"),
        (lambda d: d["pages"]["together"].pop("en"), "pages.together", "missing the 'en' text"),
        (lambda d: d["pages"].update(apart=text()), "pages.apart", "no question is in this group"),
        (
            lambda d: d["questions"].insert(3, {"id": "q5", "type": "text", "text": text()}),
            "questions[4] (q4).group",
            "the questions of 'together' are not together",
        ),
    ],
)
def test_a_page_of_questions_without_a_title_is_refused(
    tmp_path: Path, change: Any, place: str, message: str
) -> None:
    raw = grouped()
    change(raw)
    with pytest.raises(DefinitionError) as refused:
        load(tmp_path, raw)
    assert f"example.yaml: life event 'example': {place}: {message}" in str(refused.value)


def test_each_step_declares_its_legal_basis_and_a_decided_one_its_appeal(tmp_path: Path) -> None:
    raw = minimal()
    raw["steps"][1].update(handling="manual", appeal={"weeks": 3})
    event = load(tmp_path, raw)
    assert event.step("a").legal_basis.kind == "law"
    assert event.step("a").legal_basis.statute["sv"] == "folkbokföringslagen"
    assert event.step("b").legal_basis.kind == "consent"
    assert event.step("b").appeal.weeks == 3
    for shipped in load_all().values():
        for step in shipped.steps:
            assert step.action == "inform" or step.legal_basis is not None, step.id
            assert step.handling != "manual" or step.appeal is not None, step.id

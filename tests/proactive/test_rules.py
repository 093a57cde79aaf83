"""Proactive rules are data: the shipped ones load with both languages, and a wrong one is
refused with its file and the place of the mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from workflows.declarations import DefinitionError
from workflows.proactive import load_rules, rules


def test_the_shipped_rules_load_each_with_its_source_and_reason_in_both_languages() -> None:
    shipped = rules()
    assert {"passport-expiring", "birth-offer", "death-offer", "housing-allowance"} <= set(shipped)
    assert {"estate-inventory-due", "food-registration-due"} <= set(shipped)
    for rule in shipped.values():
        assert rule.source
        for text in (rule.title, rule.text, rule.reason):
            assert text["sv"].strip() and text["en"].strip()
    assert shipped["birth-offer"].start == "new-baby"
    assert shipped["estate-inventory-due"].before_days == 14
    moved = shipped["moved-offer"]
    assert (moved.event, moved.relation, moved.start) == ("change-of-address", "self", "moving")
    assert (moved.unless_started, moved.unless_days) == ("moving", 60)


@pytest.mark.parametrize(
    ("body", "place"),
    [
        ("kind: offer\ntrigger: {register_event: birth, to: guardian}\nstart: nowhere", "start"),
        ("kind: reminder\ntrigger: {step_deadline: moving.nothing, before: {days: 3}}", "trigger"),
        ("kind: suggestion\ntrigger: {case: moving, when: {answer: unknown, equals: 1}}", "when"),
        ("kind: reminder\ntrigger: {register_fact: population.name, within: {months: 1}}", "fact"),
        ("kind: offer\ntrigger: {register_event: change-of-address, to: guardian}", "to"),
        ("kind: offer\ntrigger: {register_event: birth, to: self}", "to"),
        (
            "kind: offer\nstart: moving\ntrigger: {register_event: change-of-address, to: self,"
            " unless_started: {life_event: nowhere, days: 60}}",
            "unless_started",
        ),
    ],
)
def test_a_wrong_rule_is_refused_with_its_file_and_place(
    tmp_path: Path, body: str, place: str
) -> None:
    texts = "\n".join(f"{name}: {{sv: x, en: x}}" for name in ("title", "text", "reason"))
    (tmp_path / "wrong.yaml").write_text(f"id: wrong\n{body}\n{texts}\n", encoding="utf-8")
    with pytest.raises(DefinitionError, match=rf"wrong\.yaml: .*{place}"):
        load_rules(tmp_path)


def test_a_rule_text_missing_a_language_is_refused(tmp_path: Path) -> None:
    (tmp_path / "half.yaml").write_text(
        "id: half\nkind: reminder\n"
        "trigger: {register_fact: population.passport_expires_on, within: {months: 3}}\n"
        "title: {sv: Passet}\ntext: {sv: x, en: x}\nreason: {sv: x, en: x}\n",
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError, match="title: missing the 'en' text"):
        load_rules(tmp_path)

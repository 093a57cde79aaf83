"""The prefill declarations and the evaluator's use of the registers (no app)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from agencies.catalogue import AGENCIES
from agencies.registers.base import Register
from agencies.registers.simulated import RegisterBehaviour, SimulatedRegister
from workflows.lifeevents import DefinitionError, catalogue, load_definition
from workflows.prefill import collect, consent_record, correction_plans, dispute, plan_case
from workflows.rules import check_answers

ANNA, KARIN = "19850312-2387", "19440225-3274"
TODAY = dt.date(2026, 11, 22)
MOVING = catalogue()["moving"]


class FixedDayRegisters:
    """Simulated registers on a fixed day, some of them down."""

    def __init__(self, down: frozenset[str] = frozenset()) -> None:
        self.down = down
        self.lookups: list[tuple[str, tuple[str, ...]]] = []

    def for_register(self, register: str) -> Register:
        rate = 1.0 if register in self.down else 0.0
        simulated = SimulatedRegister(
            register, RegisterBehaviour(failure_rate=rate), today=lambda: TODAY
        )
        outer = self

        class Recording(Register):
            def lookup(self, personal_number: str, facts: Any) -> Any:
                outer.lookups.append((register, tuple(facts)))
                return simulated.lookup(personal_number, facts)

        return Recording(register)


def test_for_anna_the_register_answers_the_address_and_children_questions() -> None:
    registers = FixedDayRegisters()
    found = collect(MOVING, ANNA, registers, {}, {})
    assert found.answers == {"current_municipality": "0180", "move_registered": False}
    assert all(source["kind"] == "register" for source in found.sources.values())
    # Who moves along is chosen among the household, read with her facts: one read in all.
    assert [facts for _, facts in registers.lookups] == [
        ("household", "move_registered", "municipality")
    ]
    assert [m["first_name"] for m in found.people["moving_along"]] == ["Erik", "Maja", "Olle"]
    assert [read.agency for read in found.reads] == ["skatteverket"]


def test_for_karin_nothing_about_children_is_read_or_asked() -> None:
    registers = FixedDayRegisters()
    found = collect(MOVING, KARIN, registers, {}, {})
    assert found.answers == {"current_municipality": "0380", "move_registered": False}
    assert len(registers.lookups) == 1
    again = collect(MOVING, KARIN, registers, found.answers, found.sources)
    assert again.answers == {} and again.reads == []  # read once, not again


def test_a_register_that_is_down_leaves_the_facts_to_the_citizen() -> None:
    found = collect(MOVING, ANNA, FixedDayRegisters(frozenset({"population"})), {}, {})
    assert found.answers == {} and found.reads == [] and found.unavailable == {"population"}
    assert found.sources["current_municipality"]["kind"] == "self_reported"
    assert found.sources["current_municipality"]["reason"] == "register_unavailable"


def test_a_disputed_fact_becomes_a_correction_request_to_the_registers_agency() -> None:
    disputed = {**MOVING.example_answers, "current_municipality": "0114"}
    answers = check_answers(MOVING, disputed).clean
    sources = {"current_municipality": dispute(MOVING.question("current_municipality"))}
    (plan,) = correction_plans(MOVING, answers, sources)
    assert plan.step.agency == "skatteverket"
    assert plan.fields == ("personal_number", "name", "current_municipality")
    record = consent_record(plan_case(MOVING, answers, sources))
    assert record["correction-population"]["fields"] == sorted(plan.fields)


def definition(tmp_path: Path, question: dict[str, Any]) -> Path:
    text = {"sv": "x", "en": "x"}
    raw = {
        "id": "example",
        "title": text,
        "description": text,
        "questions": [{"text": text, **question}],
        "steps": [
            {
                "id": "a",
                "agency": "skatteverket",
                "title": text,
                "reason": text,
                "legal_basis": "consent",
            }
        ],
    }
    path = tmp_path / "example.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ({"id": "q", "type": "yes_no", "prefill": "population.shoe_size"}, "no register holds"),
        ({"id": "q", "type": "yes_no", "prefill": "tarot.children"}, "no register holds"),
        (
            {"id": "q", "type": "text", "prefill": "population.children_at_home"},
            "yes_no, not a text",
        ),
    ],
)
def test_the_loader_refuses_a_prefill_no_register_can_give(
    tmp_path: Path, question: dict[str, Any], message: str
) -> None:
    with pytest.raises(DefinitionError, match=message):
        load_definition(definition(tmp_path, question), set(AGENCIES))

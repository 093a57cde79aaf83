"""The simulated registers: the facts they give, an outage, the choice by configuration."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from agencies.municipalities import is_code
from agencies.registers.base import RegisterUnavailable
from agencies.registers.data import everyone
from agencies.registers.recorded_tables import people, prepare
from agencies.registers.registry import Registers, RegisterSettings
from agencies.registers.simulated import RegisterBehaviour, SimulatedRegister

ANNA, KARIN, JOHAN = "19850312-2387", "19440225-3274", "19700101-6356"
LENA_BERG = "19680412-2684"
TODAY = dt.date(2026, 11, 22)


def test_the_population_register_gives_only_the_facts_asked_for() -> None:
    register = SimulatedRegister("population", today=lambda: TODAY)
    facts = register.lookup(ANNA, ["municipality", "children_at_home", "unknown_fact"])
    assert facts == {"municipality": "0180", "children_at_home": True}
    children = register.lookup(ANNA, ["children"])["children"]
    assert {child["name"] for child in children} == {"Maja Lindqvist", "Olle Lindqvist"}
    assert register.lookup(KARIN, ["children_at_home", "marital_status"]) == {
        "children_at_home": False,
        "marital_status": "widowed",
    }
    assert register.lookup("19000101-0008", ["name"]) == {}


def test_the_company_and_vehicle_registers_know_the_test_population() -> None:
    companies = SimulatedRegister("companies").lookup(JOHAN, ["company_form", "roles"])
    assert companies["company_form"] == "sole_trader" and companies["roles"][0]["role"] == "owner"
    assert SimulatedRegister("companies").lookup(ANNA, ["has_company"]) == {"has_company": False}
    vehicles = SimulatedRegister("vehicles").lookup(ANNA, ["owns_vehicle", "vehicles"])
    assert vehicles["owns_vehicle"] and vehicles["vehicles"][0]["make"] == "Volvo"


def test_a_register_that_is_down_says_so() -> None:
    register = SimulatedRegister("population", RegisterBehaviour(failure_rate=1.0))
    with pytest.raises(RegisterUnavailable):
        register.lookup(ANNA, ["name"])


def test_registers_are_chosen_by_configuration() -> None:
    registers = Registers(RegisterSettings(per_register={"vehicles": RegisterBehaviour(1, 0.5)}))
    assert registers.for_register("vehicles").behaviour == RegisterBehaviour(1, 0.5)  # type: ignore[attr-defined]
    assert registers.for_register("population") is registers.for_register("population")
    with pytest.raises(ValueError):
        registers.for_register("horoscopes")
    with pytest.raises(ValueError):
        Registers(RegisterSettings(), choices={"horoscopes": "simulated"})


def test_everyone_in_the_register_lives_in_a_municipality_given_by_its_code() -> None:
    for person in everyone():
        assert is_code(person.municipality), person.personal_number
    register = SimulatedRegister("population")
    assert register.lookup(LENA_BERG, ["municipality"]) == {"municipality": "0380"}  # Uppsala


def test_a_register_written_with_a_municipality_by_name_is_given_its_code() -> None:
    engine = sa.create_engine("sqlite://")
    with engine.begin() as connection:
        prepare(connection)
        connection.execute(
            sa.update(people)
            .where(people.c.personal_number == LENA_BERG)
            .values(municipality="uppsala")
        )
    with engine.begin() as connection:
        prepare(connection)  # as the next process to open it does
        held = connection.scalar(
            sa.select(people.c.municipality).where(people.c.personal_number == LENA_BERG)
        )
    assert held == "0380"

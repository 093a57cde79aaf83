"""The four shipped life events, and the definition format's dated steps and acting for others."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from marshmallow import ValidationError

from agencies import clock
from agencies.catalogue import AGENCIES
from agencies.population import is_related
from workflows.address import display_address
from workflows.behalf import may_act, represented
from workflows.deadlines import add_months, deadline_date
from workflows.declarations import Question
from workflows.lifeevents import DefinitionError, catalogue, load_definition
from workflows.rules import (
    NOT_A_DATE,
    NOT_ALONE,
    WRONG_CHECK_DIGIT,
    WRONG_LENGTH,
    check_answers,
    clean_answer,
    identity_number_problem,
    plan_steps,
    validate_answers,
)

from .test_lifeevents import minimal, text

EVENTS = catalogue()


def answers(event_id: str, **changes: object) -> dict[str, Any]:
    merged = {**EVENTS[event_id].example_answers, **changes}
    return {key: value for key, value in merged.items() if value is not None}


def planned(event_id: str, **changes: object) -> dict[str, Any]:
    clean, errors = validate_answers(EVENTS[event_id], answers(event_id, **changes))
    assert errors == {}
    return {plan.id: plan for plan in plan_steps(EVENTS[event_id], clean)}


def test_the_four_life_events_are_in_the_catalogue_with_valid_examples() -> None:
    assert {"moving", "start-business", "new-baby", "bereavement"} <= set(EVENTS)
    for event in EVENTS.values():
        clean, errors = validate_answers(event, event.example_answers)
        assert errors == {}, event.id
        assert may_act(event.on_behalf_of, clean, event.example_person), event.id


def test_moving_asks_a_pensioner_about_housing_supplement_instead_of_housing_allowance() -> None:
    event = EVENTS["moving"]
    asked = set(check_answers(event, answers("moving", pensioner=True)).clean)
    assert "housing_allowance" not in asked
    plans = planned("moving", pensioner=True, housing_allowance=None, housing_supplement=True)
    assert plans["housing-supplement"].step.agency == "pensionsmyndigheten"
    assert "housing-allowance" not in plans
    assert plans["vehicle-register"].status == "not_needed"


def test_a_limited_company_waits_for_its_organisation_number() -> None:
    plans = planned("start-business")
    for step in ("f-tax", "vat-registration", "employer-registration", "food-registration"):
        assert plans[step].depends_on == ("register-company",)
        assert "organisation_number" in plans[step].fields


def test_a_sole_trader_goes_straight_to_skatteverket_without_an_organisation_number() -> None:
    plans = planned(
        "start-business",
        business_form="sole_trader",
        business_name="Eriks Bageri",
        register_name=False,
        share_capital=None,
        vat_liable=False,
        employs=False,
        first_salary_date=None,
        handles_food=False,
    )
    assert set(plans) == {"f-tax"}
    assert plans["f-tax"].depends_on == ()
    assert "organisation_number" not in plans["f-tax"].fields


def test_child_allowance_needs_no_application() -> None:
    plans = planned("new-baby", split_child_allowance=False)
    assert plans["child-allowance"].status == "not_needed"
    assert "child-allowance-split" not in plans
    assert "child" in plans["parental-benefit"].fields


def test_a_bereavement_reaches_only_the_agencies_that_paid_or_registered_something() -> None:
    plans = planned(
        "bereavement",
        received=["student_finance"],
        vehicle=False,
        business=True,
        business_number="556012-5790",
    )
    sent = {plan.step.agency for plan in plans.values() if plan.status == "pending"}
    assert sent == {"bolagsverket"}  # CSN learns of the death from the population register
    assert plans["student-finance"].status == "not_needed"
    assert plans["student-finance"].step.told_by == "population"
    assert plans["estate-inventory"].status == "not_needed"


def test_the_estate_inventory_deadline_is_three_months_after_the_death() -> None:
    step = EVENTS["bereavement"].step("estate-inventory")
    assert deadline_date(step.deadline, {"date_of_death": "2026-10-28"}) == dt.date(2027, 1, 28)
    assert deadline_date(step.deadline, {"date_of_death": "2026-11-30"}) == dt.date(2027, 2, 28)
    assert deadline_date(step.deadline, {}) is None
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2026, 3, 15), -4) == dt.date(2025, 11, 15)


def test_a_date_of_death_cannot_be_in_the_future() -> None:
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()
    check = check_answers(EVENTS["bereavement"], answers("bereavement", date_of_death=tomorrow))
    assert check.invalid == {"date_of_death": ["The date cannot be in the future."]}
    today = clock.today().isoformat()
    assert check_answers(EVENTS["bereavement"], answers("bereavement", date_of_death=today)).clean


@pytest.mark.parametrize(
    ("utc", "swedish"),
    [
        (dt.datetime(2026, 11, 24, 22, 59, tzinfo=dt.UTC), dt.date(2026, 11, 24)),
        (dt.datetime(2026, 11, 24, 23, 30, tzinfo=dt.UTC), dt.date(2026, 11, 25)),  # CET
        (dt.datetime(2026, 6, 30, 22, 30, tzinfo=dt.UTC), dt.date(2026, 7, 1)),  # CEST
    ],
)
def test_today_is_the_date_in_sweden_whatever_the_hosts_zone(
    utc: dt.datetime, swedish: dt.date
) -> None:
    assert clock.today(utc) == swedish


def test_swedens_calendar_needs_no_time_zone_files_on_the_host() -> None:
    """A slim host may have no zone files: the `tzdata` package supplies Sweden's zone."""
    code = "from workflows.answer_fields import today; print(today())"
    env = {**os.environ, "PYTHONTZPATH": ""}  # look in no directory of the host
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert abs(dt.date.fromisoformat(done.stdout.strip()) - clock.today()) <= dt.timedelta(days=1)


def test_a_death_today_in_sweden_is_accepted_while_utc_still_has_yesterday(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 00:30 on New Year's Day in Sweden; in the past, so that the host's date is never it
    half_past_midnight = dt.datetime(2025, 12, 31, 23, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "now", lambda: half_past_midnight)  # the one clock
    died = answers("bereavement", date_of_death="2026-01-01")
    assert check_answers(EVENTS["bereavement"], died).clean
    too_late = answers("bereavement", date_of_death="2026-01-02")
    assert check_answers(EVENTS["bereavement"], too_late).invalid == {
        "date_of_death": ["The date cannot be in the future."]
    }


def test_the_register_decides_who_may_act_for_whom() -> None:
    baby = EVENTS["new-baby"].on_behalf_of
    assert is_related("19920604-2823", "guardian", "20261110-4510")
    assert may_act(baby, {"child": "20261110-4510"}, "19900118-3376")
    assert not may_act(baby, {"child": "20261110-4510"}, "19850312-2387")
    estate = EVENTS["bereavement"].on_behalf_of
    assert not may_act(estate, {"deceased": "19410830-4132"}, "19700101-6356")
    assert represented(estate, {"deceased": "19410830-4132"}) == "19410830-4132"


def test_an_address_is_checked_part_by_part_and_normalised() -> None:
    event = EVENTS["start-business"]
    good = {"street": " Storgatan  5 ", "postal_code": "75320", "city": "Uppsala"}
    clean = check_answers(event, answers("start-business", business_address=good)).clean
    assert clean["business_address"] == {
        "street": "Storgatan 5",
        "postal_code": "753 20",
        "city": "Uppsala",
    }
    assert display_address(clean["business_address"]) == "Storgatan 5, 753 20 Uppsala"
    for bad in ({**good, "postal_code": "7532"}, {**good, "street": ""}, {**good, "floor": 2}, "x"):
        check = check_answers(event, answers("start-business", business_address=bad))
        assert "business_address" in check.invalid


def load(tmp_path: Path, raw: dict[str, Any]) -> Any:
    path = tmp_path / "example.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return load_definition(path, set(AGENCIES))


def with_extras() -> dict[str, Any]:
    raw = minimal()
    raw["questions"] += [
        {"id": "who", "type": "personal_number", "text": text()},
        {"id": "day", "type": "date", "text": text()},
    ]
    raw["on_behalf_of"] = {"question": "who", "relation": "guardian", "refused": text()}
    raw["steps"][0]["deadline"] = {"from": "day", "months": 3}
    raw["steps"][0]["next_step"] = {"sv": "Senast {deadline}", "en": "By {deadline}"}
    return raw


def test_dated_steps_and_acting_for_others_load(tmp_path: Path) -> None:
    event = load(tmp_path, with_extras())
    assert event.on_behalf_of.question == "who"
    assert event.step("a").deadline.months == 3


@pytest.mark.parametrize(
    ("change", "place", "message"),
    [
        (lambda d: d["on_behalf_of"].update(question="q1"), "on_behalf_of.question", "'q1'"),
        (lambda d: d["on_behalf_of"].update(relation="cousin"), "on_behalf_of.relation", "cousin"),
        (lambda d: d["on_behalf_of"]["refused"].pop("sv"), "on_behalf_of.refused", "'sv' text"),
        (lambda d: d["on_behalf_of"].update(colour=1), "on_behalf_of", "unknown field 'colour'"),
        (
            lambda d: d["steps"][0]["deadline"].update({"from": "q1"}),
            "steps[0] (a).deadline",
            "from a date question",
        ),
        (
            lambda d: d["steps"][0]["deadline"].update(weeks=2),
            "steps[0] (a).deadline",
            "unknown field 'weeks'",
        ),
        (
            lambda d: d["steps"][0].update(next_step=text()),
            "steps[0] (a).next_step",
            "{deadline} in sv and en",
        ),
        (
            lambda d: d["steps"][1].update(next_step={"sv": "{deadline}", "en": "x"}),
            "steps[1] (b).next_step",
            "without a 'deadline'",
        ),
        (
            lambda d: d["questions"][0].update(date_range="past"),
            "questions[0] (q1).date_range",
            "range is past or future",
        ),
        (
            lambda d: d["questions"].append({"id": "home", "type": "address"}),
            "questions[4] (home).text",
            "a text needs one entry per language",
        ),
    ],
)
def test_a_broken_extra_is_refused_naming_the_file_event_and_place(
    tmp_path: Path, change: Any, place: str, message: str
) -> None:
    raw = with_extras()
    change(raw)
    with pytest.raises(DefinitionError) as refused:
        load(tmp_path, raw)
    assert str(refused.value).startswith("example.yaml: life event 'example': ")
    assert place in str(refused.value) and message in str(refused.value)


def test_a_step_that_does_not_apply_passes_its_dependencies_and_outputs_on(tmp_path: Path) -> None:
    raw = minimal()
    raw["steps"][0]["produces"] = ["organisation_number"]
    raw["steps"][1]["when"] = {"answer": "q1", "equals": True}
    raw["steps"].append(
        {
            "id": "c",
            "agency": "csn",
            "title": text(),
            "reason": text(),
            "fields": ["organisation_number", "q2", "name"],
            "depends_on": ["b"],
            "legal_basis": "consent",
        }
    )
    event = load(tmp_path, raw)
    plans = {plan.id: plan for plan in plan_steps(event, {"q1": False})}
    assert set(plans) == {"a", "c"}
    assert plans["c"].depends_on == ("a",)
    assert plans["c"].fields == ("organisation_number", "name")  # q2 is never asked


def _choice(exclusive_on: str = "several_of") -> dict[str, Any]:
    return {
        "id": "got",
        "type": exclusive_on,
        "text": text(),
        "options": [
            {"value": "pension", "text": text()},
            {"value": "nothing", "text": text(), "exclusive": True},
        ],
    }


def test_an_exclusive_option_is_chosen_alone(tmp_path: Path) -> None:
    raw = minimal()
    raw["questions"].append(_choice())
    question = load(tmp_path, raw).question("got")
    assert [option.exclusive for option in question.options] == [False, True]
    assert clean_answer(question, ["nothing"]) == ["nothing"]
    with pytest.raises(ValidationError) as refused:
        clean_answer(question, ["pension", "nothing"])
    assert refused.value.messages == [NOT_ALONE]


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (_choice("one_of"), "only an option of several_of is exclusive"),
        (
            {"id": "code", "type": "text", "text": text(), "pattern": "^[0-9]{5}$"},
            "a pattern needs a 'pattern_error'",
        ),
    ],
)
def test_an_exclusive_one_of_or_a_pattern_without_its_error_is_refused(
    tmp_path: Path, question: dict[str, Any], message: str
) -> None:
    raw = minimal()
    raw["questions"].append(question)
    with pytest.raises(DefinitionError) as refused:
        load(tmp_path, raw)
    assert message in str(refused.value)


def test_every_pattern_says_how_to_put_a_wrong_answer_right() -> None:
    patterned = [q for event in catalogue().values() for q in event.questions if q.pattern]
    assert patterned and all(q.pattern_error for q in patterned)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("19410830-4133", WRONG_CHECK_DIGIT),
        ("19410830-413", WRONG_LENGTH),
        ("1941083041320", WRONG_LENGTH),
        ("19410830-413x", WRONG_LENGTH),
        ("19411330-4132", NOT_A_DATE),
        ("19410830-4132", None),
    ],
)
def test_a_personal_numbers_problem_is_named(typed: str, problem: str | None) -> None:
    question = Question(id="who", type="personal_number", text=text())
    assert identity_number_problem(question, typed) == problem

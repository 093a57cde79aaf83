"""What a correction means, worked out by the evaluator alone (no database, no worker)."""

from __future__ import annotations

from workflows.corrections import SentStep, plan_correction
from workflows.lifeevents import catalogue

MOVING = catalogue()["moving"]
SENT = dict(MOVING.example_answers)


def _steps(**overrides: dict[str, object]) -> list[SentStep]:
    """The example case's steps as sent: every one done, but as overridden."""
    steps = []
    for plan_step in MOVING.steps:
        values: dict[str, object] = {"status": "done", "outcome": None, "ball": "none"}
        values |= overrides.get(plan_step.id, {})
        steps.append(
            SentStep(
                id=f"id-{plan_step.id}",
                key=plan_step.id,
                agency=plan_step.agency,
                status=str(values["status"]),
                fields=plan_step.fields,
                outcome=values["outcome"],  # type: ignore[arg-type]
                ball=str(values["ball"]),
            )
        )
    return steps


def test_only_the_agencies_that_had_the_field_get_it_and_a_decided_step_a_request() -> None:
    steps = _steps(**{"housing-allowance": {"status": "done", "outcome": "approved"}})
    plan = plan_correction(MOVING, SENT, {"new_postal_code": "753 21"}, steps)
    assert not plan.errors and plan.changed == ("new_postal_code",)
    got = {item.corrects: (item.fields, item.request) for item in plan.corrections}
    assert got == {
        "change-of-address": (("new_postal_code",), False),
        # the children who moved along get the corrected address too
        "children-change-of-address": (("new_postal_code",), False),
        "housing-allowance": (("new_postal_code",), True),
    }
    assert [item.key for item in plan.corrections][0] == "change-of-address.correction-1"


def test_a_step_not_sent_yet_gets_no_correction_but_goes_with_the_new_answer() -> None:
    steps = _steps(
        **{
            "change-of-address": {"status": "pending"},
            "children-change-of-address": {"status": "pending"},  # waits for the one above
            "housing-allowance": {"status": "waiting", "ball": "person"},  # held for a yes
        }
    )
    plan = plan_correction(MOVING, SENT, {"new_postal_code": "753 21"}, steps)
    assert not plan.corrections


def test_bad_answers_and_no_change_are_errors_and_plan_nothing() -> None:
    unknown = plan_correction(MOVING, SENT, {"shoe_size": 43}, _steps())
    assert "shoe_size" in unknown.errors and not unknown.corrections
    wrong = plan_correction(MOVING, SENT, {"new_postal_code": "abc"}, _steps())
    assert "new_postal_code" in wrong.errors
    same = plan_correction(MOVING, SENT, {"new_street": SENT["new_street"]}, _steps())
    assert "answers" in same.errors
    missing = plan_correction(
        MOVING,
        {**SENT, "housing_allowance": False, "bank_account": None},
        {"housing_allowance": True},
        _steps(),
    )
    assert "bank_account" in missing.errors  # now asked, so it must be answered


def test_a_second_correction_of_a_step_is_numbered_after_the_first() -> None:
    earlier = SentStep("c1", "change-of-address.correction-1", "skatteverket", "done", ("x",))
    plan = plan_correction(MOVING, SENT, {"move_date": "2026-12-16"}, [*_steps(), earlier])
    keys = {item.key for item in plan.corrections}
    assert "change-of-address.correction-2" in keys

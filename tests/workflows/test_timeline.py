"""A case's timeline read again line by line: where each step and the case stood after each."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

from workflows.timeline import replay

Line = namedtuple("Line", ["kind", "step_id", "detail"])


def _after(first: dict[str, str], *lines: tuple[str, str | None, dict[str, Any]]) -> list[Any]:
    return list(replay(first, [Line(*line) for line in lines]))


def test_the_ball_goes_to_the_citizen_with_a_question_and_back_with_the_answer() -> None:
    moments = _after(
        {"a": "pending", "b": "not_needed"},
        ("case_submitted", None, {}),
        ("step_started", "a", {}),
        ("step_waiting", "a", {}),
        ("complement_requested", "a", {}),
        ("complement_answered", "a", {}),
        ("step_approved", "a", {}),
        ("case_closed", None, {"status": "done"}),
    )
    assert [m.case_status for m in moments] == ["in_progress"] * 6 + ["done"]
    assert [m.citizen_must_act for m in moments] == [False, False, False, True, False, False, False]
    assert [m.closed for m in moments] == [False] * 6 + [True]
    assert [(m.step.status, m.step.ball) for m in moments[1:6]] == [
        ("running", "agency"),
        ("waiting", "agency"),
        ("waiting", "citizen"),
        ("waiting", "agency"),
        ("done", "none"),
    ]
    assert moments[0].steps["b"].status == "not_needed" and moments[0].step is None


def test_a_case_of_steps_with_nothing_to_send_stays_received_until_it_closes() -> None:
    moments = _after({"b": "not_needed"}, ("case_submitted", None, {}), ("case_closed", None, {}))
    assert [m.case_status for m in moments] == ["received", "done"]


def test_a_failed_step_sent_again_reopens_the_steps_cancelled_because_of_it() -> None:
    moments = _after(
        {"a": "pending", "b": "pending", "c": "pending"},
        ("case_submitted", None, {}),
        ("step_failed", "a", {}),
        ("step_cancelled", "b", {"code": "dependency_failed"}),
        ("step_cancelled", "c", {"code": "withdrawn"}),
        ("case_closed", None, {"status": "done_with_problems"}),
        ("step_retried", "a", {}),
    )
    closed, retried = moments[-2], moments[-1]
    assert closed.closed and closed.steps["b"].status == "cancelled"
    assert not retried.closed and retried.case_status == "in_progress"
    assert retried.steps["a"].status == "pending" and retried.steps["b"].status == "pending"
    assert retried.steps["c"].status == "cancelled"  # cancelled for another reason


def test_a_withdrawn_case_is_closed_at_once_and_its_steps_end_as_their_agencies_are_told() -> None:
    moments = _after(
        {"a": "pending", "b": "pending"},
        ("case_submitted", None, {}),
        ("step_done", "b", {}),
        ("complement_requested", "a", {}),
        ("case_withdrawn", None, {}),
        ("withdrawal_sent", "a", {}),
        ("withdrawal_sent", "b", {}),
    )
    asked, withdrawn, told = moments[2], moments[3], moments[-1]
    assert asked.citizen_must_act and not withdrawn.citizen_must_act
    assert withdrawn.case_status == "withdrawn" and withdrawn.closed
    assert (withdrawn.steps["a"].status, withdrawn.steps["a"].ball) == ("waiting", "none")
    assert told.steps["a"].status == "cancelled" and told.steps["b"].status == "done"


def test_lines_that_change_nothing_leave_the_state_as_it_was() -> None:
    moments = _after(
        {"a": "pending"},
        ("case_submitted", None, {}),
        ("step_started", "a", {}),
        ("step_retry", "a", {"reason": "timeout"}),
        ("step_recovered", "a", {}),
    )
    assert moments[1].steps == moments[2].steps == moments[3].steps

"""Where a case and each of its steps stand, as the citizen reads it: a short label for the
tag and one sentence that says who must act now. One table for the steps; the case's words
are derived from its steps here and nowhere else, so that the two never contradict.

A running step waiting for a retry (`next_attempt_at`: its agency did not answer) says when
the next attempt is, in Swedish time, instead of that it is being sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import format_date, format_time
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from agencies import clock
from workflows import (
    BLOCKING_STATUSES,
    UNDER_WAY_STEP_STATUSES,
    Ball,
    CaseStatus,
    StepStatus,
    waits_for_retry,
)

NOTHING_TO_DO = _l("You do not need to do anything.")
AGENCY_HANDLES = _l("The agency is handling it. You do not need to do anything.")
YOUR_ANSWER = _l("You need to act: the agency needs an answer from you.")
NOT_REACHED = _l("We could not reach the agency just now.")
ONE_NOT_REACHED = _l("We could not reach one of the agencies just now.")


@dataclass(frozen=True)
class Standing:
    """A status in words: the tag's label, who must act (may be empty), the tag's colour."""

    label: str
    sentence: str
    colour: str


# Every step status with every ball. A step that has ended says no more than its label: its
# reason or its next step says the rest, and "nobody needs to do anything" may be untrue.
_STEPS: dict[tuple[StepStatus, Ball], tuple[Any, Any, str]] = {}
for _ball in Ball:
    _STEPS[StepStatus.PENDING, _ball] = (_l("Not sent yet"), NOTHING_TO_DO, "grey")
    _STEPS[StepStatus.RUNNING, _ball] = (_l("Being sent"), NOTHING_TO_DO, "blue")
    _STEPS[StepStatus.WAITING, _ball] = (_l("Waiting"), NOTHING_TO_DO, "blue")
    _STEPS[StepStatus.DONE, _ball] = (_l("Done"), "", "green")
    _STEPS[StepStatus.FAILED, _ball] = (_l("Could not be done"), "", "red")
    _STEPS[StepStatus.CANCELLED, _ball] = (_l("Cancelled"), "", "orange")
    _STEPS[StepStatus.NOT_NEEDED, _ball] = (_l("Nothing to send"), "", "grey")
_STEPS[StepStatus.WAITING, Ball.AGENCY] = (_l("With the agency"), AGENCY_HANDLES, "blue")
_STEPS[StepStatus.WAITING, Ball.CITIZEN] = (_l("Needs your answer"), YOUR_ANSWER, "yellow")
OTHER_CONFIRMS = _l(
    "It is sent when the other person has confirmed it. You do not need to do anything."
)
_STEPS[StepStatus.WAITING, Ball.PERSON] = (
    _l("Waiting for a confirmation"),
    OTHER_CONFIRMS,
    "yellow",
)


def _standing(label: Any, sentence: Any, colour: str) -> Standing:
    return Standing(str(label), str(sentence), colour)


def next_attempt_words(moment: dt.datetime) -> str:
    """When the next attempt is, as a sentence in the reader's language and in Swedish time
    ("We will try again at 14:05."); with the date when that is not today."""
    time = format_time(moment, "HH:mm")
    if clock.today(moment) == clock.today():
        return _("We will try again at %(time)s.", time=time)
    day = format_date(moment, "d MMMM")
    return _("We will try again on %(date)s at %(time)s.", date=day, time=time)


def _retrying(not_reached: Any, moment: dt.datetime) -> Standing:
    """A step, or a case, waiting for the next attempt at an agency that did not answer."""
    sentence = f"{not_reached} {next_attempt_words(moment)} {NOTHING_TO_DO}"
    return Standing(str(_l("Trying again")), sentence, "blue")


def step_standing(
    status: str,
    ball: str,
    case_status: str | None = None,
    next_attempt_at: dt.datetime | None = None,
) -> Standing:
    """Where one step of a case in `case_status` stands, in the reader's language; a running
    step with its `next_attempt_at` waits for a retry."""
    if case_status == CaseStatus.WITHDRAWN and status in UNDER_WAY_STEP_STATUSES:
        sentence = _l("We are telling the agency. You do not need to do anything.")
        return _standing(_l("Withdrawn"), sentence, "orange")
    if next_attempt_at is not None and waits_for_retry(status, next_attempt_at):
        return _retrying(NOT_REACHED, next_attempt_at)
    try:
        return _standing(*_STEPS[StepStatus(status), Ball(ball)])
    except ValueError:  # a status this version does not know: say it as it is
        return Standing(str(status), "", "grey")


def case_standing(status: str, steps: Iterable[Mapping[str, Any]]) -> Standing:
    """Where a case stands, from its status and its steps (each with `status`, `ball`,
    `next_step` and, if it waits for a retry, `next_attempt_at`)."""
    steps = list(steps)
    statuses = {step["status"] for step in steps}
    under_way = bool(statuses & UNDER_WAY_STEP_STATUSES)
    if status == CaseStatus.WITHDRAWN:
        if under_way:
            sentence = _l("We are telling the agencies. You do not need to do anything.")
            return _standing(_l("Withdrawn"), sentence, "orange")
        return _standing(_l("Withdrawn"), NOTHING_TO_DO, "orange")
    if any(s["status"] == StepStatus.WAITING and s["ball"] == Ball.CITIZEN for s in steps):
        return _standing(_l("Needs your answer"), YOUR_ANSWER, "yellow")
    if any(s["status"] == StepStatus.WAITING and s["ball"] == Ball.PERSON for s in steps):
        sentence = _l("A step is sent when another person has confirmed it.")
        return _standing(_l("Waiting for a confirmation"), sentence, "yellow")
    if under_way and status == CaseStatus.RECEIVED:
        return _standing(_l("Received"), NOTHING_TO_DO, "blue")
    retries = [
        s["next_attempt_at"]
        for s in steps
        if s.get("next_attempt_at") and waits_for_retry(s["status"], s["next_attempt_at"])
    ]
    if retries:  # the soonest: what the citizen may see happen first
        return _retrying(ONE_NOT_REACHED, min(retries))
    if under_way:
        sentence = _l("The agencies are handling it. You do not need to do anything.")
        return _standing(_l("In progress"), sentence, "blue")
    if statuses & BLOCKING_STATUSES:
        sentence = _l("Read why at the step that could not be done.")
        return _standing(_l("Finished, but something could not be done"), sentence, "red")
    if any(step.get("next_step") for step in steps):
        return _standing(_l("Done"), _l("Read what happens next at each step."), "green")
    return _standing(_l("Done"), _l("Nobody needs to do anything."), "green")

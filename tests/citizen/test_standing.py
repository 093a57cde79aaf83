"""Where a case and its steps stand: one true sentence for every status and ball, the case's
derived from its steps, in Swedish and in English; a step waiting for a retry says when."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from flask import Flask

from agencies import clock
from contactpoint.citizen.standing import case_standing, step_standing
from workflows import TERMINAL_STEP_STATUSES, Ball, CaseStatus, StepStatus

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

# What each sentence claims, in each language.
NO_ACTION = {"en": "You do not need to do anything", "sv": "Du behöver inte göra något"}
NOBODY = {"en": "Nobody needs to do anything", "sv": "Ingen behöver göra något"}
ACT = {"en": "You need to act", "sv": "Du behöver göra något"}
AGENCY_HANDLES = {"en": "handling it", "sv": "arbetar med det"}


def _step(status: StepStatus, ball: Ball, next_step: str | None = None) -> dict[str, Any]:
    return {"status": status, "ball": ball, "next_step": next_step}


# Every step a case may hold: each status with each ball, with and without a next step.
STEPS = [
    _step(status, ball, next_step)
    for status, ball, next_step in itertools.product(StepStatus, Ball, (None, "Hold it by…"))
]


def _cases() -> list[tuple[CaseStatus, list[dict[str, Any]]]]:
    """Each case status with every set of one or two steps."""
    sets = [[step] for step in STEPS] + [list(pair) for pair in itertools.combinations(STEPS, 2)]
    return [(status, steps) for status in CaseStatus for steps in sets]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_step_status_and_ball_has_one_true_sentence(app: Flask, language: str) -> None:
    with app.test_request_context(f"/?lang={language}"):
        for status, ball in itertools.product(StepStatus, Ball):
            standing = step_standing(status, ball)
            place = (status, ball, standing)
            assert standing.label and standing.label != status, place
            waits_for_you = status == StepStatus.WAITING and ball == Ball.CITIZEN
            assert (ACT[language] in standing.sentence) == waits_for_you, place
            if status in TERMINAL_STEP_STATUSES:  # its reason or next step says the rest
                assert standing.sentence == "", place
            else:
                assert standing.sentence.endswith("."), place
            if status != StepStatus.WAITING or ball != Ball.AGENCY:
                assert AGENCY_HANDLES[language] not in standing.sentence, place
            withdrawn = step_standing(status, ball, CaseStatus.WITHDRAWN)
            assert AGENCY_HANDLES[language] not in withdrawn.sentence, (place, withdrawn)
            assert ACT[language] not in withdrawn.sentence, (place, withdrawn)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_case_says_what_its_steps_say(app: Flask, language: str) -> None:
    with app.test_request_context(f"/?lang={language}"):
        for status, steps in _cases():
            standing = case_standing(status, steps)
            place = (status, steps, standing)
            statuses = {step["status"] for step in steps}
            waits_for_you = any(
                s["status"] == StepStatus.WAITING and s["ball"] == Ball.CITIZEN for s in steps
            )
            ended = statuses <= TERMINAL_STEP_STATUSES
            assert standing.label and standing.sentence.endswith("."), place
            if status == CaseStatus.WITHDRAWN:  # nobody handles a withdrawn case
                assert NO_ACTION[language] in standing.sentence, place
                assert AGENCY_HANDLES[language] not in standing.sentence, place
                continue
            assert (ACT[language] in standing.sentence) == waits_for_you, place
            if NOBODY[language] in standing.sentence:  # only where it is true
                assert ended and not any(step["next_step"] for step in steps), place
                assert not statuses & {StepStatus.FAILED, StepStatus.CANCELLED}, place
            if statuses & {StepStatus.FAILED, StepStatus.CANCELLED} and ended:
                assert standing.colour == "red", place
            if AGENCY_HANDLES[language] in standing.sentence:
                assert not ended, place


def test_the_words_differ_by_language(app: Flask) -> None:
    with app.test_request_context("/?lang=sv"):
        swedish = [step_standing(s, b) for s, b in itertools.product(StepStatus, Ball)]
        swedish_cases = [case_standing(status, steps) for status, steps in _cases()[:200]]
    with app.test_request_context("/?lang=en"):
        english = [step_standing(s, b) for s, b in itertools.product(StepStatus, Ball)]
        english_cases = [case_standing(status, steps) for status, steps in _cases()[:200]]
    for sv, en in zip(swedish + swedish_cases, english + english_cases, strict=True):
        assert sv.label != en.label or sv.label in ("Kontaktpunkt",), (sv, en)
        assert sv.sentence != en.sentence or not sv.sentence, (sv, en)


def test_a_finished_case_with_something_left_to_do_does_not_say_nobody_must_act(
    app: Flask,
) -> None:
    inventory = _step(StepStatus.NOT_NEEDED, Ball.NONE, "Hold the estate inventory by 28 January")
    with app.test_request_context("/?lang=sv"):
        done = case_standing(CaseStatus.DONE, [_step(StepStatus.DONE, Ball.NONE), inventory])
        assert done.label == "Klart" and "Ingen behöver" not in done.sentence
        assert "vad som händer sedan" in done.sentence
        rejected = case_standing(
            CaseStatus.DONE_WITH_PROBLEMS, [_step(StepStatus.FAILED, Ball.NONE)]
        )
        assert rejected.label != "Klart" and "inte kunde" in rejected.sentence
        running = _step(StepStatus.RUNNING, Ball.AGENCY)
        withdrawn = case_standing(CaseStatus.WITHDRAWN, [running])
        assert withdrawn.label == "Återkallat" and "arbetar med det" not in withdrawn.sentence
        pending = step_standing(StepStatus.PENDING, Ball.AGENCY)
        assert pending.label == "Inte skickat än" and "myndigheten" not in pending.sentence.lower()
    with app.test_request_context("/?lang=en"):
        sentences = [step_standing(s, b).sentence for s, b in itertools.product(StepStatus, Ball)]
        assert not [s for s in sentences if "do nothing" in s]


def test_the_timeline_does_not_call_a_case_with_a_failed_step_finished(app: Flask) -> None:
    from contactpoint.citizen.pages.texts import event_text

    closed = {"kind": "case_closed", "detail": {"status": CaseStatus.DONE_WITH_PROBLEMS}}
    with app.test_request_context("/?lang=sv"):
        assert "kunde inte göras" in event_text(closed)
        assert event_text({"kind": "case_closed", "detail": {"status": "done"}}) == (
            "Alla steg är klara."
        )


NOON = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)  # 13:00 in Stockholm


@pytest.fixture()
def at_noon(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOON)


@pytest.mark.parametrize(
    ("language", "label", "sentence"),
    [
        (
            "sv",
            "Försöker igen",
            "Vi kunde inte nå myndigheten just nu. Vi försöker igen kl. 14:05.",
        ),
        (
            "en",
            "Trying again",
            "We could not reach the agency just now. We will try again at 14:05.",
        ),
    ],
)
def test_a_step_waiting_for_a_retry_says_when_in_swedish_time(
    app: Flask, at_noon: None, language: str, label: str, sentence: str
) -> None:
    soon = NOON + dt.timedelta(hours=1, minutes=5)
    with app.test_request_context(f"/?lang={language}"):
        for ball in Ball:
            standing = step_standing(StepStatus.RUNNING, ball, CaseStatus.IN_PROGRESS, soon)
            assert standing.label == label
            assert standing.sentence == f"{sentence} {NO_ACTION[language]}."
            assert AGENCY_HANDLES[language] not in standing.sentence
        sending = step_standing(StepStatus.RUNNING, Ball.AGENCY, CaseStatus.IN_PROGRESS)
        assert sending.label != label  # an attempt under way: being sent
        for status in set(StepStatus) - {StepStatus.RUNNING}:  # only a running step waits
            assert step_standing(status, Ball.AGENCY, None, soon).label != label
        withdrawn = step_standing(StepStatus.RUNNING, Ball.AGENCY, CaseStatus.WITHDRAWN, soon)
        assert withdrawn.label != label  # nobody tries again for a withdrawn case


def test_a_retry_on_another_day_in_sweden_says_the_day_too(app: Flask, at_noon: None) -> None:
    after_midnight = dt.datetime(2026, 11, 24, 23, 30, tzinfo=dt.UTC)  # 00:30 on the 25th
    with app.test_request_context("/?lang=sv"):
        standing = step_standing(StepStatus.RUNNING, Ball.AGENCY, None, after_midnight)
        assert "Vi försöker igen den 25 november kl. 00:30." in standing.sentence
    with app.test_request_context("/?lang=en"):
        standing = step_standing(StepStatus.RUNNING, Ball.AGENCY, None, after_midnight)
        assert "We will try again on 25 November at 00:30." in standing.sentence


def test_a_case_with_a_step_waiting_for_a_retry_says_when_the_first_retry_is(
    app: Flask, at_noon: None
) -> None:
    later, sooner = NOON + dt.timedelta(minutes=40), NOON + dt.timedelta(minutes=7)
    steps = [
        {**_step(StepStatus.WAITING, Ball.AGENCY), "next_attempt_at": None},
        {**_step(StepStatus.RUNNING, Ball.AGENCY), "next_attempt_at": later},
        {**_step(StepStatus.RUNNING, Ball.AGENCY), "next_attempt_at": sooner},
        _step(StepStatus.DONE, Ball.NONE),
    ]
    with app.test_request_context("/?lang=sv"):
        standing = case_standing(CaseStatus.IN_PROGRESS, steps)
        assert standing.label == "Försöker igen"
        assert standing.sentence == (
            "Vi kunde inte nå en av myndigheterna just nu. Vi försöker igen kl. 13:07. "
            "Du behöver inte göra något."
        )
        answer = {**_step(StepStatus.WAITING, Ball.CITIZEN), "next_attempt_at": None}
        assert ACT["sv"] in case_standing(CaseStatus.IN_PROGRESS, [*steps, answer]).sentence
        assert "försöker igen" not in case_standing(CaseStatus.WITHDRAWN, steps).sentence


def test_the_officer_reads_when_the_system_is_tried_again(app: Flask, at_noon: None) -> None:
    from contactpoint.officer.pages.texts import officer_status_text

    soon = NOON + dt.timedelta(minutes=5)
    with app.test_request_context("/?lang=sv"):
        own = officer_status_text(StepStatus.RUNNING, Ball.AGENCY, None, soon)
        assert own == "Ert system nås inte. Vi försöker igen kl. 13:05."
        other = officer_status_text(StepStatus.RUNNING, Ball.AGENCY, None, soon, own=False)
        assert other == "Nås inte. Vi försöker igen kl. 13:05."
        assert officer_status_text(StepStatus.RUNNING, Ball.AGENCY) == "Skickas"
    with app.test_request_context("/?lang=en"):
        own = officer_status_text(StepStatus.RUNNING, Ball.AGENCY, None, soon)
        assert own == "Your system not reached. We will try again at 13:05."

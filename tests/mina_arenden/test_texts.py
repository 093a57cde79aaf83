"""The heading and description of each customer event are My pages' words: the step's title
with its status tag, the timeline's sentence with who must act; in Swedish unless the caller
asks for English with Accept-Language."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.mina_arenden.conftest import Known, ask, case_party, events_of, query

BY_TIME = {"sortering": [{"attribut": "TIDPUNKT", "stigande": True}]}
SWEDISH = [
    (
        "Flytta: Pågår",
        "Du skickade ditt ärende. Myndigheterna arbetar med det. Du behöver inte göra något.",
    ),
    (
        "Anmäl flytt till Skatteverket: Skickas",
        "Skickat till Skatteverket. Enligt folkbokföringslagen (1991:481). Du behöver inte göra"
        " något.",
    ),
    ("Anmäl flytt till Skatteverket: Klart", "Skatteverket har registrerat det."),
    (
        "Sök bostadsbidrag: Skickas",
        "Skickat till Försäkringskassan. Med ditt samtycke. Du behöver inte göra något.",
    ),
    (
        "Sök bostadsbidrag: Hos myndigheten",
        "Försäkringskassan handlägger det. Myndigheten arbetar med det. Du behöver inte göra"
        " något.",
    ),
    (
        "Sök bostadsbidrag: Behöver ditt svar",
        "Försäkringskassan behöver fler uppgifter från dig. Du behöver göra något: myndigheten"
        " behöver svar från dig.",
    ),
    (
        "Sök bostadsbidrag: Hos myndigheten",
        "Du svarade Försäkringskassan. Myndigheten arbetar med det. Du behöver inte göra något.",
    ),
    ("Sök bostadsbidrag: Klart", "Försäkringskassan har beviljat det."),
    ("Flytta: Klart", "Alla steg är klara. Ingen behöver göra något."),
]
ENGLISH_ASKING = (
    "Application for housing allowance: Needs your answer",
    "Försäkringskassan (Social Insurance Agency) needs more information from you. You need to"
    " act: the agency needs an answer from you.",
)


def _texts(client: FlaskClient, known: Known, **headers: str | None) -> list[tuple[str, str]]:
    found = ask(client, query(case_party(known.moving), behandling=BY_TIME), **headers)
    return [(event["rubrik"], event["beskrivning"]) for event in events_of(found)]


def test_the_events_say_in_swedish_what_my_pages_says(client: FlaskClient, known: Known) -> None:
    assert _texts(client, known) == SWEDISH
    assert _texts(client, known, **{"Accept-Language": "sv-SE,sv;q=0.9"}) == SWEDISH


@pytest.mark.parametrize("asked", ["en", "en-GB,en;q=0.9,sv;q=0.5"])
def test_english_is_given_to_a_caller_who_asks_for_it(
    client: FlaskClient, known: Known, asked: str
) -> None:
    found = ask(
        client, query(case_party(known.moving), behandling=BY_TIME), **{"Accept-Language": asked}
    )
    events = events_of(found)
    assert {event["sprak"] for event in events} == {"en"}
    assert (events[5]["rubrik"], events[5]["beskrivning"]) == ENGLISH_ASKING
    assert events[0]["rubrik"] == "Moving house: In progress"
    assert events[-1]["beskrivning"] == "Every step is done. Nobody needs to do anything."


def test_a_language_not_offered_gets_swedish(client: FlaskClient, known: Known) -> None:
    assert _texts(client, known, **{"Accept-Language": "de-DE,fi;q=0.8"}) == SWEDISH

"""The query's parties, filters, sorting and pagination, and the answer's shape, over two
cases of known moments: a move through a complement and a decision, and a child's name
reported on the child's behalf."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from contactpoint.mina_arenden.answer_schemas import EVENT_TYPE
from tests.mina_arenden.conftest import (
    BABY_EVENTS,
    MOVING_EVENTS,
    Known,
    ask,
    case_party,
    customer,
    events_of,
    query,
    types_of,
)

MOVING = "KONTAKTPUNKT.MOVING"
HOUSING = f"{MOVING}.HOUSING_ALLOWANCE"
BY_TIME = {"sortering": [{"attribut": "TIDPUNKT", "stigande": True}]}


def test_a_person_has_the_events_of_the_cases_they_made_and_a_child_those_made_for_them(
    client: FlaskClient, known: Known
) -> None:
    parent = ask(client, query(customer(known.parent)))
    assert (
        parent.json["kundhandelser"][0]["totaltAntalKundhandelser"] == MOVING_EVENTS + BABY_EVENTS
    )
    child = ask(client, query(customer(known.child)))
    assert types_of(child) == [
        "KONTAKTPUNKT.NEW_BABY.CLOSED",
        "KONTAKTPUNKT.NEW_BABY.CHILD_NAME.DONE",
        "KONTAKTPUNKT.NEW_BABY.CHILD_NAME.SENT",
        "KONTAKTPUNKT.NEW_BABY.RECEIVED",
    ]  # newest first without a sorting
    same = {e["kundhandelseId"] for e in events_of(child)}
    assert same <= {e["kundhandelseId"] for e in events_of(parent)}  # one event, two parties


def test_the_moving_case_reads_as_its_timeline_without_the_retry(
    client: FlaskClient, known: Known
) -> None:
    found = ask(client, query(case_party(known.moving), **{"behandling": BY_TIME}))
    assert types_of(found) == [
        f"{MOVING}.RECEIVED",
        f"{MOVING}.CHANGE_OF_ADDRESS.SENT",
        f"{MOVING}.CHANGE_OF_ADDRESS.DONE",
        f"{HOUSING}.SENT",
        f"{HOUSING}.WITH_AGENCY",
        f"{HOUSING}.COMPLEMENT_REQUESTED",
        f"{HOUSING}.COMPLEMENT_ANSWERED",
        f"{HOUSING}.APPROVED",
        f"{MOVING}.CLOSED",
    ]
    events = events_of(found)
    asking = [e["producentarendetKraverKundatgard"] for e in events]
    assert asking == [False] * 5 + [True] + [False] * 3  # the ball with the citizen, then back
    assert [e["producentarendetKlart"] for e in events] == [False] * 8 + [True]
    assert all(re.fullmatch(EVENT_TYPE, t) for t in types_of(found))
    first = events[0]
    assert first["tidpunkt"] == "2026-01-10T10:00:00+01:00"  # Swedish winter time
    assert first["referenser"] == {"Producentarendereferens": known.moving}
    assert first["taggar"] == ["moving"] and first["sprak"] == "sv"
    assert first["producent"] == "Kontaktpunkt" and first["version"] == "6.1"
    fk = known.moving_steps["housing-allowance"]
    assert events[5]["referenser"] == {"Producentarendereferens": known.moving, "Diarienummer": fk}
    assert events[5]["taggar"] == ["moving", "forsakringskassan"]
    summer = events_of(ask(client, query(case_party(known.baby))))[0]
    assert summer["tidpunkt"] == "2026-06-15T10:00:03+02:00"  # Swedish summer time


def test_the_ids_stay_the_same_from_query_to_query(client: FlaskClient, known: Known) -> None:
    ids = [[e["kundhandelseId"] for e in events_of(ask(client, query(case_party(known.moving))))]]
    ids.append([e["kundhandelseId"] for e in events_of(ask(client, query(customer(known.parent))))])
    assert len(set(ids[0])) == MOVING_EVENTS and set(ids[0]) <= set(ids[1])
    again = [e["kundhandelseId"] for e in events_of(ask(client, query(case_party(known.moving))))]
    assert again == ids[0]


@pytest.mark.parametrize(
    ("party", "count"),
    [
        ("moving", MOVING_EVENTS),
        ("diary", 5),  # the housing allowance's events: its agency's reference
        ("parent and baby", BABY_EVENTS),  # both must match
        ("child and moving", 0),
        ("consumer's reference", 0),
        ("organisation", 0),
        ("unknown person", 0),
    ],
)
def test_each_kind_of_party_finds_its_own_events(
    client: FlaskClient, known: Known, party: str, count: int
) -> None:
    parties = {
        "moving": case_party(known.moving),
        "diary": case_party(known.moving_steps["housing-allowance"], "Diarienummer"),
        "parent and baby": customer(known.parent) | case_party(known.baby),
        "child and moving": customer(known.child) | case_party(known.moving),
        "consumer's reference": case_party(known.moving, "Konsumentreferens"),
        "organisation": customer("165560125790", "Organisationsnummer"),
        "unknown person": customer("190001010000"),
    }
    found = ask(client, query(parties[party]))
    assert found.json["kundhandelser"][0]["totaltAntalKundhandelser"] == count
    assert len(events_of(found)) == count


def test_each_party_has_its_answer_and_its_subquery_in_the_order_asked(
    client: FlaskClient, known: Known
) -> None:
    parties = [customer(known.child), case_party(known.moving)]
    body = ask(client, query(*parties)).json
    assert [p["part"] for p in body["kundhandelser"]] == parties
    assert [p["totaltAntalKundhandelser"] for p in body["kundhandelser"]] == [4, MOVING_EVENTS]
    assert body["delfragor"] == [
        {"producent": "Kontaktpunkt", "part": part, "status": "OK", "httpCode": 200}
        for part in parties
    ]


@pytest.mark.parametrize(
    ("types", "count"),
    [
        ([MOVING], MOVING_EVENTS),
        ([HOUSING], 5),
        ([f"{HOUSING}.APPROVED"], 1),
        (["KONTAKTPUNKT"], MOVING_EVENTS + BABY_EVENTS),
        (["KONTAKTPUNKT.MOV"], 0),  # a part is whole: MOV is not MOVING
        ([f"{MOVING}.CLOSED", "KONTAKTPUNKT.NEW_BABY.CLOSED"], 2),
        (["OTHERPRODUCER.MOVING"], 0),
    ],
)
def test_a_type_matches_itself_and_every_type_under_it(
    client: FlaskClient, known: Known, types: list[str], count: int
) -> None:
    found = ask(client, query(customer(known.parent), kundhandelseTyper=types))
    assert found.json["kundhandelser"][0]["totaltAntalKundhandelser"] == count
    assert all(any(t == k or t.startswith(f"{k}.") for k in types) for t in types_of(found))


@pytest.mark.parametrize(
    ("tags", "count"),
    [
        (["forsakringskassan"], 5),
        (["new-baby"], BABY_EVENTS),
        (["skatteverket", "new-baby"], 2 + BABY_EVENTS),  # at least one of them
        (["csn"], 0),
    ],
)
def test_an_event_matches_when_it_has_one_of_the_tags(
    client: FlaskClient, known: Known, tags: list[str], count: int
) -> None:
    found = ask(client, query(customer(known.parent), taggar=tags))
    assert found.json["kundhandelser"][0]["totaltAntalKundhandelser"] == count
    assert all(set(e["taggar"]) & set(tags) for e in events_of(found))


@pytest.mark.parametrize(
    ("dates", "count"),
    [
        ({"slutDatum": "2026-01-12"}, 6),  # 23:30 on the 12th in Sweden is still the 12th
        ({"startDatum": "2026-01-13"}, 3 + BABY_EVENTS),
        ({"startDatum": "2026-01-12", "slutDatum": "2026-01-12"}, 1),
        ({"startDatum": "2026-01-10", "slutDatum": "2026-01-10"}, 5),
        ({"startDatum": "2026-06-15", "slutDatum": "2026-06-15"}, BABY_EVENTS),
        ({"startDatum": "2026-02-01", "slutDatum": "2026-05-31"}, 0),
    ],
)
def test_the_dates_are_inclusive_days_in_swedish_time(
    client: FlaskClient, known: Known, dates: dict[str, str], count: int
) -> None:
    found = ask(client, query(customer(known.parent), **dates))
    assert found.json["kundhandelser"][0]["totaltAntalKundhandelser"] == count


def _sorted_by(
    client: FlaskClient, known: Known, *sorting: tuple[str, bool]
) -> list[dict[str, Any]]:
    order = [{"attribut": name, "stigande": rising} for name, rising in sorting]
    return events_of(ask(client, query(customer(known.parent), behandling={"sortering": order})))


def test_without_a_sorting_the_newest_come_first(client: FlaskClient, known: Known) -> None:
    times = [e["tidpunkt"] for e in events_of(ask(client, query(customer(known.parent))))]
    assert times[0] == "2026-06-15T10:00:03+02:00" and times[-1] == "2026-01-10T10:00:00+01:00"
    assert len(times) == MOVING_EVENTS + BABY_EVENTS


@pytest.mark.parametrize(
    ("attribute", "field"),
    [
        ("RUBRIK", "rubrik"),
        ("BESKRIVNING", "beskrivning"),
        ("KUNDHANDELSETYP", "kundhandelseTyp"),
        ("PRODUCENTARENDETKRAVERKUNDATGARD", "producentarendetKraverKundatgard"),
        ("PRODUCENTARENDETKLART", "producentarendetKlart"),
    ],
)
@pytest.mark.parametrize("rising", [True, False])
def test_events_sort_by_each_attribute_both_ways(
    client: FlaskClient, known: Known, attribute: str, field: str, rising: bool
) -> None:
    values = [event[field] for event in _sorted_by(client, known, (attribute, rising))]
    key = (lambda v: v.casefold()) if isinstance(values[0], str) else (lambda v: v)
    assert values == sorted(values, key=key, reverse=not rising)
    assert len(set(values)) > 1  # the order was not there by chance


def test_time_sorts_both_ways_and_one_producer_keeps_the_next_attribute_in_charge(
    client: FlaskClient, known: Known
) -> None:
    rising = [e["kundhandelseId"] for e in _sorted_by(client, known, ("TIDPUNKT", True))]
    falling = [e["kundhandelseId"] for e in _sorted_by(client, known, ("TIDPUNKT", False))]
    assert rising == falling[::-1]
    both = _sorted_by(client, known, ("PRODUCENT", True), ("TIDPUNKT", True))
    assert [e["kundhandelseId"] for e in both] == rising


def test_sortings_apply_in_priority_order(client: FlaskClient, known: Known) -> None:
    events = _sorted_by(client, known, ("PRODUCENTARENDETKLART", False), ("TIDPUNKT", True))
    assert [e["kundhandelseTyp"] for e in events[:2]] == [
        f"{MOVING}.CLOSED",
        "KONTAKTPUNKT.NEW_BABY.CLOSED",
    ]
    rest = [e["tidpunkt"] for e in events[2:]]
    assert all(not e["producentarendetKlart"] for e in events[2:])
    assert rest == sorted(rest)  # as text too: January's and June's offsets never tie a day
    asking = _sorted_by(client, known, ("PRODUCENTARENDETKRAVERKUNDATGARD", False))
    assert asking[0]["kundhandelseTyp"] == f"{HOUSING}.COMPLEMENT_REQUESTED"


@pytest.mark.parametrize(
    ("paging", "window"),
    [
        ({"offset": 0, "limit": 3}, slice(0, 3)),
        ({"offset": 2, "limit": 4}, slice(2, 6)),
        ({"offset": 10}, slice(10, None)),  # without a limit: the rest
        ({"offset": 12, "limit": 5}, slice(12, 13)),
        ({"offset": 40, "limit": 5}, slice(40, 40)),
    ],
)
def test_a_page_is_a_window_of_the_sorted_events_and_the_total_is_before_it(
    client: FlaskClient, known: Known, paging: dict[str, int], window: slice
) -> None:
    every = [e["kundhandelseId"] for e in _sorted_by(client, known, ("TIDPUNKT", True))]
    handling = {**BY_TIME, "paginering": paging}
    found = ask(client, query(customer(known.parent), behandling=handling))
    assert [e["kundhandelseId"] for e in events_of(found)] == every[window]
    assert found.json["kundhandelser"][0]["totaltAntalKundhandelser"] == len(every) == 13


def test_the_answer_echoes_the_query(client: FlaskClient, known: Known) -> None:
    handling = {**BY_TIME, "paginering": {"offset": 0, "limit": 2}}
    asked = {
        "kundhandelseTyper": [MOVING],
        "taggar": ["moving"],
        "startDatum": "2026-01-01",
        "slutDatum": "2026-01-31",
        "behandling": handling,
    }
    body = ask(client, query(customer(known.parent), **asked), **{"Accept-Language": "en"}).json
    assert body["metadata"] == {"parter": [customer(known.parent)], "onskatSprak": "en", **asked}
    plain = ask(client, query(customer(known.parent))).json["metadata"]
    assert plain == {"parter": [customer(known.parent)], "onskatSprak": "sv"}

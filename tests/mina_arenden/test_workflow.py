"""Customer events follow real cases through the worker: a move whose housing allowance the
agency's system asks the citizen about and then approves; a child's case made by a guardian,
a company's made by its owner and an estate's reported by one of its members, each found
under both."""

from __future__ import annotations

import subprocess
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import example, token_for, wait_until
from tests.helpers.confirmations import confirm_all
from tests.helpers.officer import agency_headers, case_status, submit, wait_for_step
from tests.mina_arenden.conftest import ask, case_party, customer, digits, events_of, query
from workflows import engine, runtime

ERIK = "19870715-4574"
GUARDIAN = "19920604-2823"  # the example person of `new-baby`
JOHAN = "19700101-6356"  # the example person of the business life events, a sole trader
KARIN = "19440225-3274"  # the example person of `bereavement`, in the deceased's estate
HOUSING = "KONTAKTPUNKT.MOVING.HOUSING_ALLOWANCE"
BY_TIME = {"sortering": [{"attribut": "TIDPUNKT", "stigande": True}]}


def _events(
    client: FlaskClient, person: str, reference: str, **headers: str
) -> list[dict[str, Any]]:
    """The events of one case of the person (both must match), oldest first."""
    party = customer(digits(person)) | case_party(reference)
    return events_of(ask(client, query(party, behandling=BY_TIME), **headers))


def _decide(client: FlaskClient, step_id: str, **decision: str) -> None:
    fk = agency_headers(client, "forsakringskassan")
    url = f"/api/v1/agencies/forsakringskassan/steps/{step_id}/decision"
    response = client.post(url, json=decision, headers=fk)
    assert response.status_code == 200, response.json


def test_the_events_follow_a_case_through_a_complement_and_a_decision(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    erik = token_for(client, ERIK)
    case = submit(client, erik)
    reference = case["reference"]
    step = wait_for_step(client, erik, case["id"], "housing-allowance", "waiting", "agency")
    _decide(client, step["id"], decision="complement", question="What is the monthly rent?")
    wait_for_step(client, erik, case["id"], "housing-allowance", "waiting", "citizen")

    asked = _events(client, ERIK, reference)
    latest = [e for e in asked if e["kundhandelseTyp"].startswith(HOUSING)][-1]
    assert latest["kundhandelseTyp"] == f"{HOUSING}.COMPLEMENT_REQUESTED"
    assert latest["producentarendetKraverKundatgard"] is True
    assert latest["producentarendetKlart"] is False
    assert latest["rubrik"] == "Sök bostadsbidrag: Behöver ditt svar"

    with app.app_context():  # the citizen answers, as My pages' form does
        current = runtime.current()
        assert engine.answer_complement(
            current.store, current.dispatcher, step["id"], "8 400 kronor", "citizen"
        )
    wait_for_step(client, erik, case["id"], "housing-allowance", "waiting", "agency")
    _decide(client, step["id"], decision="approve")
    wait_until(lambda: case_status(client, erik, case["id"]) == "done", timeout_s=60)

    events = _events(client, ERIK, reference)
    housing = [e["kundhandelseTyp"] for e in events if e["kundhandelseTyp"].startswith(HOUSING)]
    assert housing == [
        f"{HOUSING}.SENT",
        f"{HOUSING}.WITH_AGENCY",
        f"{HOUSING}.COMPLEMENT_REQUESTED",
        f"{HOUSING}.COMPLEMENT_ANSWERED",
        f"{HOUSING}.APPROVED",
    ]
    assert events[0]["kundhandelseTyp"] == "KONTAKTPUNKT.MOVING.RECEIVED"
    assert events[-1]["kundhandelseTyp"] == "KONTAKTPUNKT.MOVING.CLOSED"
    assert events[-1]["producentarendetKlart"] is True
    asking = {e["kundhandelseTyp"]: e["producentarendetKraverKundatgard"] for e in events}
    assert asking[f"{HOUSING}.COMPLEMENT_REQUESTED"] is True  # the ball with the citizen
    assert not any(asking[f"{HOUSING}.{word}"] for word in ("COMPLEMENT_ANSWERED", "APPROVED"))
    assert not events[0]["producentarendetKraverKundatgard"]
    assert not events[-1]["producentarendetKraverKundatgard"]
    assert {e["kundhandelseId"] for e in asked} <= {e["kundhandelseId"] for e in events}

    read = client.get(f"/api/v1/cases/{case['id']}?lang=en", headers=erik).json
    shown = next(s for s in read["steps"] if s["key"] == "housing-allowance")
    english = _events(client, ERIK, reference, **{"Accept-Language": "en"})
    approved = next(e for e in english if e["kundhandelseTyp"] == f"{HOUSING}.APPROVED")
    assert approved["rubrik"] == f"{shown['title']}: Done"
    assert approved["beskrivning"] == "Försäkringskassan (Social Insurance Agency) has approved it."
    assert approved["referenser"] == {
        "Producentarendereferens": reference,
        "Diarienummer": shown["agency_reference"],
    }
    by_diary = ask(client, query(case_party(shown["agency_reference"], "Diarienummer")))
    assert [e["kundhandelseTyp"] for e in events_of(by_diary)][0] == f"{HOUSING}.APPROVED"


def test_a_case_for_a_child_is_found_under_the_guardian_and_under_the_child(
    client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    guardian = token_for(client, GUARDIAN)
    answers = example(client, "new-baby")
    body = {"life_event": "new-baby", "answers": answers, "consent": True}
    response = client.post("/api/v1/cases", json=body, headers=guardian)
    assert response.status_code == 201, response.json
    case = response.json
    confirm_all(client, "19900118-3376")  # the other guardian's yes to the shared steps
    wait_until(lambda: case_status(client, guardian, case["id"]) == "done", timeout_s=60)

    child = answers["child"]
    as_guardian = _events(client, GUARDIAN, case["reference"])
    as_child = _events(client, child, case["reference"])
    assert [e["kundhandelseId"] for e in as_child] == [e["kundhandelseId"] for e in as_guardian]
    assert as_child[0]["kundhandelseTyp"] == "KONTAKTPUNKT.NEW_BABY.RECEIVED"
    assert as_child[-1]["kundhandelseTyp"] == "KONTAKTPUNKT.NEW_BABY.CLOSED"
    assert {"KONTAKTPUNKT.NEW_BABY.CHILD_NAME.DONE"} <= {e["kundhandelseTyp"] for e in as_child}
    everything = events_of(ask(client, query(customer(digits(child)))))
    assert {e["kundhandelseId"] for e in as_child} <= {e["kundhandelseId"] for e in everything}


def _made(client: FlaskClient, person: str, life_event: str) -> dict[str, Any]:
    """A case of the life event from its example answers, sent by the person."""
    body = {"life_event": life_event, "answers": example(client, life_event), "consent": True}
    response = client.post("/api/v1/cases", json=body, headers=token_for(client, person))
    assert response.status_code == 201, response.json
    return dict(response.json)


def _received(client: FlaskClient, party: dict[str, Any], reference: str) -> list[str]:
    """The ids of the events of one case that a party finds, oldest first."""
    found = events_of(ask(client, query(party | case_party(reference), behandling=BY_TIME)))
    assert found and found[0]["kundhandelseTyp"].endswith(".RECEIVED"), found
    return [found[0]["kundhandelseId"]]


def test_a_companys_case_is_found_under_the_company_and_under_who_made_it(
    client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    case = _made(client, JOHAN, "hire-first-employee")
    number = example(client, "hire-first-employee")["organisation"]  # NNNNNN-NNNN
    company = customer(f"16{number.replace('-', '')}", "Organisationsnummer")
    by_company = _received(client, company, case["reference"])
    assert by_company == _received(client, customer(digits(JOHAN)), case["reference"])
    other = customer("165560125790", "Organisationsnummer")  # a company with no case here
    assert events_of(ask(client, query(other | case_party(case["reference"])))) == []


def test_an_estates_case_is_found_under_the_deceased_and_under_who_reported_it(
    client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    case = _made(client, KARIN, "bereavement")
    deceased = example(client, "bereavement")["deceased"]
    by_estate = _received(client, customer(digits(deceased)), case["reference"])
    assert by_estate == _received(client, customer(digits(KARIN)), case["reference"])

"""Register events, consumed through the real worker: a birth offers each guardian "Having a
baby" with the child filled in, a death offers each member of the estate "When someone has
died"; each once per person and fact, never to a deceased person."""

from __future__ import annotations

import json
import re
import subprocess
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import ANNA, token_for, wait_until
from tests.helpers.pages import csrf, forget_drafts, login, send_checked
from workflows.proactive.tasks import consume_event

SARA, DAVID, ERIK = "19920604-2823", "19900118-3376", "19870715-4574"


def register_event(app: Flask, *args: str) -> dict[str, Any]:
    """`contactpoint sandbox register-event ...`, its JSON read back."""
    from contactpoint.cli import main

    result = app.test_cli_runner().invoke(main, ["sandbox", "register-event", *args])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.output))


def offers(client: FlaskClient, headers: dict[str, str], child: str) -> list[dict[str, Any]]:
    """The person's offers that concern this person (child or deceased), in English."""
    found = client.get("/api/v1/me/messages?lang=en", headers=headers).json
    return [
        message
        for message in found
        if (message.get("action") or {}).get("answers", {}).get("child") == child
        or (message.get("action") or {}).get("answers", {}).get("deceased") == child
    ]


def test_a_birth_offers_both_guardians_new_baby_and_one_of_them_submits(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    event = register_event(
        app, "birth", "--parent", SARA, "--parent", DAVID, "--name", "Alva Maria Ek"
    )
    child = event["personal_number"]
    assert event["kind"] == "birth" and re.fullmatch(r"\d{8}-\d{4}", child)
    assert event["guardians"] == sorted([SARA, DAVID])
    sara, david = token_for(client, SARA), token_for(client, DAVID)
    wait_until(lambda: offers(client, sara, child) and offers(client, david, child))

    [offer] = offers(client, sara, child)
    assert offer["kind"] == "suggestion" and offer["action"]["type"] == "start"
    assert offer["action"]["life_event"] == "new-baby"
    assert offer["action"]["answers"]["child_names"] == "Alva Maria"
    assert "Alva Maria Ek" in offer["text"]
    assert offer["reason"].startswith("You get this because the population register says")
    [swedish] = offers(client, token_for(client, SARA), child)  # the same, in Swedish too
    assert swedish["id"] == offer["id"]

    consume_event.apply_async(args=[event["id"]])  # the event delivered again
    consume_event.apply_async(args=[event["id"]])
    wait_until(lambda: _consumed(app, event["id"]))
    assert len(offers(client, sara, child)) == 1 and len(offers(client, david, child)) == 1

    for old in asked(client, david):  # what earlier cases asked David: this is the only one
        client.post(
            f"/api/v1/me/confirmations/{old['id']}", json={"decision": "decline"}, headers=david
        )
    forget_drafts(app, SARA)
    login(client, SARA)
    page = client.get(f"/my-pages/messages/{offer['id']}?lang=en").get_data(as_text=True)
    assert "the population register says" in page
    accepted = client.post(
        f"/my-pages/messages/{offer['id']}/accept", data={"csrf_token": csrf(page)}
    )
    assert accepted.status_code == 302
    assert accepted.headers["Location"].endswith("/life-events/new-baby/check")
    check = client.get("/life-events/new-baby/check?lang=en").get_data(as_text=True)
    assert "Alva, born 2026 (child)" in check and "Alva Maria" in check
    assert child not in check  # the child is named, never numbered, on the page
    case_id = send_checked(client, "new-baby", check)

    # The child's name needs the other guardian's yes; given, the worker reports it.
    [request] = wait_until(lambda: asked(client, david))
    confirmed = client.post(
        f"/api/v1/me/confirmations/{request['id']}", json={"decision": "confirm"}, headers=david
    )
    assert confirmed.status_code == 200, confirmed.json

    def name_reported() -> bool:
        case = client.get(f"/api/v1/cases/{case_id}", headers=sara).json
        return any(s["key"] == "child-name" and s["status"] == "done" for s in case["steps"])

    wait_until(name_reported)
    ledger = app.extensions["ledger"].entries("skatteverket")
    assert [e.times_received for e in ledger if e.case_id == case_id] == [1]


def asked(client: FlaskClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    found = client.get("/api/v1/me/confirmations", headers=headers).json
    return [c for c in found if c["state"] == "asked"]


def _consumed(app: Flask, event_id: str) -> bool:
    from contactpoint.db.models import ConsumedEvent
    from contactpoint.extensions import db

    with app.app_context():
        found = db.session.get(ConsumedEvent, event_id) is not None
        db.session.rollback()
        return found


def test_a_death_offers_the_estate_bereavement_and_nothing_goes_to_the_dead(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    death = register_event(app, "death", "--person", ERIK)
    assert death["kind"] == "death" and ANNA in death["related"]
    anna = token_for(client, ANNA)
    wait_until(lambda: offers(client, anna, ERIK))
    [offer] = offers(client, anna, ERIK)
    assert offer["action"]["life_event"] == "bereavement"
    assert offer["action"]["answers"]["date_of_death"] == death["occurred_on"]

    birth = register_event(app, "birth", "--parent", ANNA, "--parent", ERIK)
    child = birth["personal_number"]
    [unnamed] = wait_until(lambda: offers(client, anna, child))
    assert unnamed["action"]["answers"]["report_name"] is False  # no first names given yet
    assert "child_names" not in unnamed["action"]["answers"]
    assert "registered your child as living with you" in unnamed["text"]
    wait_until(lambda: _consumed(app, birth["id"]))
    assert offers(client, token_for(client, ERIK), child) == []  # he has died

    login(client, ANNA)  # an offer can be put away: read, and offered no more
    page = client.get(f"/my-pages/messages/{offer['id']}").get_data(as_text=True)
    dismissed = client.post(
        f"/my-pages/messages/{offer['id']}/dismiss", data={"csrf_token": csrf(page)}
    )
    assert dismissed.status_code == 302
    [put_away] = [m for m in offers_all(client, anna) if m["id"] == offer["id"]]
    assert put_away["action"] is None and put_away["read_at"] is not None


def offers_all(client: FlaskClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    return list(client.get("/api/v1/me/messages", headers=headers).json)


def test_register_event_refuses_a_person_the_register_does_not_know(app: Flask) -> None:
    from contactpoint.cli import main

    runner = app.test_cli_runner()
    unknown = runner.invoke(
        main, ["sandbox", "register-event", "death", "--person", "19000101-0000"]
    )
    assert unknown.exit_code != 0 and "--person" in unknown.output
    assert "not in the register" in unknown.output
    three = ["birth", "--parent", SARA, "--parent", DAVID, "--parent", ANNA]
    refused = runner.invoke(main, ["sandbox", "register-event", *three])
    assert refused.exit_code != 0 and "one or two different guardians" in refused.output


def test_an_event_whose_publishing_was_lost_is_caught_up_by_the_pass(
    app: Flask, client: FlaskClient
) -> None:
    from workflows import proactive

    johan = "19700101-6356"
    with app.app_context():  # recorded, never published: the broker was down, say
        event = app.extensions["population_register"].record_birth([johan], "Nils Nilsson")
    headers = token_for(client, johan)
    assert offers(client, headers, event.subject) == []
    with app.app_context():
        assert proactive.run_pass(proactive.current())["events"] >= 1
        assert proactive.run_pass(proactive.current())["events"] == 0  # acted on once
    [offer] = offers(client, headers, event.subject)
    assert offer["action"]["answers"]["child_names"] == "Nils"

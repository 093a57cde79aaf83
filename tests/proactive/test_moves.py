"""A change of address in the population register, consumed through the real worker: the
register answers the new address, and the person who moved is offered "Moving house" to tell
the agencies that do not read the register; once per person and event, not to someone who
began a move of their own, never to a deceased person."""

from __future__ import annotations

import subprocess
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from contactpoint.cli import main
from contactpoint.db.models import ConsumedEvent, Draft, Person
from contactpoint.extensions import db
from tests.conftest import token_for, wait_until
from tests.helpers.pages import csrf, login, send_checked
from tests.helpers.register import new_resident, register_event, register_of
from tests.integration.test_moving_workflow import finished
from workflows import proactive
from workflows.proactive.tasks import consume_event

STREET, POSTAL_CODE = "Dragarbrunnsgatan 5", "753 20"


def moved(app: Flask, number: str, *more: str) -> dict[str, Any]:
    """The person moved to Uppsala today, as the register's system records it."""
    args = ["--street", STREET, "--postal-code", POSTAL_CODE, "--municipality", "0380", *more]
    return register_event(app, "change-of-address", "--person", number, *args)


def consumed(app: Flask, event_id: str) -> bool:
    with app.app_context():
        found = db.session.get(ConsumedEvent, event_id) is not None
        db.session.rollback()
        return found


def move_offers(client: FlaskClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    found = client.get("/api/v1/me/messages?lang=en", headers=headers).json
    return [m for m in found if (m.get("action") or {}).get("life_event") == "moving"]


def test_a_move_offers_moving_once_and_a_case_is_sent_from_it(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    number = new_resident(app, "Tove Sandberg", municipality="0180")
    event = moved(app, number)
    assert event["kind"] == "change-of-address" and event["related"] == [number]
    assert event["address"] == {
        "street": STREET,
        "postal_code": POSTAL_CODE,
        "municipality": "0380",
    }
    assert event["previous_municipality"] == "0180"
    wait_until(lambda: consumed(app, event["id"]))
    headers = token_for(client, number)  # a mailbox was made for the offer
    [offer] = move_offers(client, headers)
    assert offer["kind"] == "suggestion" and offer["action"]["type"] == "start"
    assert offer["action"]["answers"]["new_street"] == STREET
    assert offer["action"]["answers"]["current_municipality"] == "0180"  # the one left
    assert f"{STREET}, {POSTAL_CODE}" in offer["text"]
    assert offer["reason"].startswith("You get this because the population register says")

    consume_event.apply_async(args=[event["id"]])  # the event delivered twice more
    consume_event.apply_async(args=[event["id"]])
    with app.app_context():  # and caught up by a pass: still one offer
        assert proactive.consume(proactive.current(), event["id"]) == 0
    assert [m["id"] for m in move_offers(client, headers)] == [offer["id"]]

    prefill = client.get("/api/v1/life-events/moving/prefill", headers=headers).json
    facts = {fact["question"]: fact["value"] for fact in prefill["facts"]}
    assert facts["current_municipality"] == "0380"  # the register answers the new address
    assert facts["move_registered"] is True  # and that it has the move: not asked, not sent

    login(client, number)
    page = client.get(f"/my-pages/messages/{offer['id']}?lang=en").get_data(as_text=True)
    accepted = client.post(
        f"/my-pages/messages/{offer['id']}/accept", data={"csrf_token": csrf(page)}
    )
    assert accepted.headers["Location"].endswith("/life-events/moving/check")
    check = client.get("/life-events/moving/check?lang=en").get_data(as_text=True)
    assert STREET in check
    case_id = send_checked(client, "moving", check)
    case = wait_until(lambda: finished(client, headers, case_id))
    assert case["status"] == "done"
    ledger = [e for e in app.extensions["ledger"].entries() if e.case_id == case_id]
    assert all(entry.times_received == 1 for entry in ledger)
    told = {entry.agency for entry in ledger}
    assert "csn" not in told  # nothing the offer did not say
    assert "skatteverket" not in told  # the register has the move: it is not reported again
    keys = {step["key"]: step["status"] for step in case["steps"]}
    assert "change-of-address" not in keys
    assert keys["change-of-address-registered"] == "not_needed"  # shown, not sent


def test_no_move_offer_to_someone_who_began_a_move_or_has_died(app: Flask) -> None:
    began = new_resident(app, "Ivar Strand", with_mailbox=True)
    with app.app_context():  # a move of their own begun on the pages, not sent yet
        person = db.session.query(Person).filter_by(personal_number=began).one()
        db.session.add(Draft(person_id=person.id, life_event="moving", answers={}))
        db.session.commit()
    gone = new_resident(app, "Elsa Vik", with_mailbox=True)
    register = register_of(app)
    address = {"street": STREET, "postal_code": POSTAL_CODE, "municipality": "0380"}
    with app.app_context():
        first = register.record_move(began, address)
        second = register.record_move(gone, address)
        register.record_death(gone)  # died before the move was acted on
        service = proactive.current()
        assert proactive.consume(service, first.id) == 0
        assert proactive.consume(service, second.id) == 0
    lone = new_resident(app, "Nils Ahl", with_mailbox=True)  # the same rule, nothing begun
    with app.app_context():
        assert proactive.consume(service, register.record_move(lone, address).id) == 1


def test_a_change_of_address_is_refused_with_a_clear_message(app: Flask) -> None:
    runner = app.test_cli_runner()
    number = new_resident(app, "Rut Berg")

    def refused(*args: str) -> str:
        result = runner.invoke(main, ["sandbox", "register-event", "change-of-address", *args])
        assert result.exit_code != 0
        return str(result.output)

    base = ["--street", STREET, "--postal-code", POSTAL_CODE]
    assert "--municipality" in refused("--person", number, *base, "--municipality", "uppsala")
    wrong = ["--street", STREET, "--postal-code", "7532", "--municipality", "0380"]
    assert "five digits" in refused("--person", number, *wrong)
    unknown = refused("--person", "19000101-0008", *base, "--municipality", "0380")
    assert "not in the register" in unknown
    assert "--date" in refused("--person", number, *base, "--municipality", "0380", "--date", "x")
    with app.app_context():
        register_of(app).record_death(number)
    assert "has died" in refused("--person", number, *base, "--municipality", "0380")

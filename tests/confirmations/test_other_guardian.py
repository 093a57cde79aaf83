"""Steps that need both guardians wait for the other one's yes: nothing of them leaves until
then, the other guardian is asked in their mailbox and answers on a page or in the API, and a
no (or a withdrawal) ends them without any agency hearing of them. Through the real worker."""

from __future__ import annotations

import subprocess
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import ANNA, example, token_for, wait_until
from tests.helpers.pages import csrf, login

SARA, DAVID = "19920604-2823", "19900118-3376"  # Leo's guardians, both in the register
HELD = {"child-name", "child-allowance-split"}  # the steps the guardians decide together


def submit(client: FlaskClient, headers: dict[str, str]) -> dict[str, Any]:
    body = {"life_event": "new-baby", "answers": example(client, "new-baby"), "consent": True}
    response = client.post("/api/v1/cases", json=body, headers=headers)
    assert response.status_code == 201, response.json
    return dict(response.json)


def case(client: FlaskClient, headers: dict[str, str], case_id: str) -> dict[str, Any]:
    return dict(client.get(f"/api/v1/cases/{case_id}?lang=en", headers=headers).json)


def settled(client: FlaskClient, headers: dict[str, str], case_id: str) -> dict[str, Any] | None:
    """The case once nothing but the held steps is under way."""
    found = case(client, headers, case_id)
    others = [s for s in found["steps"] if s["key"] not in HELD]
    return found if all(s["status"] in ("done", "not_needed") for s in others) else None


def asked(client: FlaskClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = client.get("/api/v1/me/confirmations?lang=en", headers=headers)
    assert response.status_code == 200, response.json
    return [c for c in response.json if c["state"] == "asked"]


def ledger_steps(app: Flask) -> set[str]:
    return {entry.step_id for entry in app.extensions["ledger"].entries()}


def sent_and_asked(client: FlaskClient) -> tuple[dict[str, Any], dict[str, Any]]:
    """Sara's new-baby case, once all but its held steps are done, and what David is asked
    (what earlier tests asked him is answered first: this is the only one)."""
    sara, david = token_for(client, SARA), token_for(client, DAVID)
    for old in asked(client, david):
        url = f"/api/v1/me/confirmations/{old['id']}"
        client.post(url, json={"decision": "decline"}, headers=david)
    sent = submit(client, sara)
    wait_until(lambda: settled(client, sara, sent["id"]))
    return sent, wait_until(lambda: asked(client, david))[0]


def test_nothing_held_leaves_until_the_other_guardian_confirms_then_each_goes_once(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    sara, david = token_for(client, SARA), token_for(client, DAVID)
    sent, request = sent_and_asked(client)
    found = case(client, sara, sent["id"])
    held = {s["key"]: s for s in found["steps"] if s["key"] in HELD}
    assert {(s["status"], s["ball"]) for s in held.values()} == {("waiting", "person")}
    assert not {s["id"] for s in held.values()} & ledger_steps(app)  # nothing of them left
    assert found["status"] == "in_progress"

    assert request["role"] == "other_guardian" and request["asked_by"] == "Sara Ek"
    assert {s["step"] for s in request["steps"]} == HELD
    message = next(
        m
        for m in client.get("/api/v1/me/messages?lang=en", headers=david).json
        if m["kind"] == "confirmation" and m["action"]["url"].endswith(request["id"])
    )
    assert message["case_id"] is None and SARA not in message["text"]
    assert message["title"] == "Your confirmation is needed: Having a baby"
    assert client.get(f"/api/v1/cases/{sent['id']}", headers=david).status_code == 404
    anna = token_for(client, ANNA)  # nobody else sees or answers it
    assert client.get(f"/api/v1/me/confirmations/{request['id']}", headers=anna).status_code == 404
    answer = {"decision": "confirm"}
    url = f"/api/v1/me/confirmations/{request['id']}"
    assert client.post(url, json=answer, headers=anna).status_code == 404

    response = client.post(url, json=answer, headers=david)
    assert response.status_code == 200 and response.json["state"] == "confirmed"
    done = wait_until(lambda: (c := case(client, sara, sent["id"]))["status"] == "done" and c)
    ledger = {entry.step_id: entry for entry in app.extensions["ledger"].entries()}
    for step in done["steps"]:
        if step["key"] in HELD:
            assert step["status"] == "done" and ledger[step["id"]].times_received == 1
    kinds = [(e["kind"], e["step_id"]) for e in done["timeline"]]
    for step in held.values():
        assert (
            kinds.index(("confirmation_asked", step["id"]))
            < kinds.index(("step_confirmed", step["id"]))
            < kinds.index(("step_started", step["id"]))
        )

    again = client.post(url, json=answer, headers=david)  # the same answer: nothing changes
    assert again.status_code == 200 and again.json["state"] == "confirmed"
    other = client.post(url, json={"decision": "decline"}, headers=david)
    assert other.status_code == 409 and "confirmed" in other.json["message"]
    bad = client.post(url, json={"decision": "maybe"}, headers=david)
    assert bad.status_code == 422 and "decision" in bad.json["errors"]["json"]


def test_a_no_on_the_page_ends_the_held_steps_and_tells_the_sender(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    sara = token_for(client, SARA)
    sent, request = sent_and_asked(client)

    login(client, DAVID)
    page = client.get(f"/my-pages/confirmations/{request['id']}?lang=sv")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Sara Ek" in html and "den andra vårdnadshavaren" in html
    unanswered = client.post(
        f"/my-pages/confirmations/{request['id']}", data={"csrf_token": csrf(html)}
    )
    assert unanswered.status_code == 400
    assert "Välj om du bekräftar" in unanswered.get_data(as_text=True)
    answered = client.post(
        f"/my-pages/confirmations/{request['id']}",
        data={"csrf_token": csrf(html), "decision": "decline"},
        follow_redirects=True,
    )
    assert 'id="answered"' in answered.get_data(as_text=True)

    ended = wait_until(
        lambda: (c := case(client, sara, sent["id"]))["status"] == "done_with_problems" and c
    )
    held = [s for s in ended["steps"] if s["key"] in HELD]
    assert {(s["status"], s["ball"]) for s in held} == {("cancelled", "none")}
    assert not {s["id"] for s in held} & ledger_steps(app)
    told = [
        m
        for m in client.get("/api/v1/me/messages?lang=en", headers=sara).json
        if m["kind"] == "declined" and m["case_id"] == sent["id"]
    ]
    assert len(told) == 1 and told[0]["title"] == "Not confirmed: Having a baby"


def test_a_withdrawn_case_leaves_nothing_to_confirm(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    sara, david = token_for(client, SARA), token_for(client, DAVID)
    sent, request = sent_and_asked(client)

    login(client, SARA)
    page = client.get(f"/my-pages/cases/{sent['id']}/withdraw").get_data(as_text=True)
    client.post(f"/my-pages/cases/{sent['id']}/withdraw", data={"csrf_token": csrf(page)})
    withdrawn = case(client, sara, sent["id"])
    held = [s for s in withdrawn["steps"] if s["key"] in HELD]
    assert withdrawn["status"] == "withdrawn"
    assert {(s["status"], s["ball"]) for s in held} == {("cancelled", "none")}

    response = client.post(
        f"/api/v1/me/confirmations/{request['id']}", json={"decision": "confirm"}, headers=david
    )
    assert response.status_code == 409 and "void" in response.json["message"]
    assert not {s["id"] for s in held} & ledger_steps(app)  # nor told of a withdrawal

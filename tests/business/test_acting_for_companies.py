"""Acting for companies through the API, a real Celery worker and the agencies' ledger: a
signatory alone, a power of attorney given, used and revoked, refusals for those with no
right, and the company's cases seen by all its representatives and by no one else."""

from __future__ import annotations

import datetime as dt
import subprocess
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from agencies.clock import today
from tests.conftest import example, token_for, wait_until
from tests.helpers.business import give_power

JOHAN, ANNA, KARIN = "19700101-6356", "19850312-2387", "19440225-3274"
LENA, PER, AMIRA = "19780923-1249", "19810214-2356", "19950530-3462"
NILSSONS, EKSTROM_LUND = "700101-6356", "556612-3450"


def finished(client: FlaskClient, headers: dict[str, str], case_id: str) -> dict[str, Any] | None:
    case = client.get(f"/api/v1/cases/{case_id}", headers=headers).json
    return case if case["status"] in ("done", "done_with_problems") else None


def submit(
    client: FlaskClient, person: str, event_id: str, organisation: str, **answers: Any
) -> Any:
    """Send a business life event for `organisation`; its company facts come from the register."""
    given = {
        key: value
        for key, value in example(client, event_id).items()
        if not key.startswith(("company_", "registered_for"))
    }
    body = {
        "life_event": event_id,
        "answers": {**given, "organisation": organisation, **answers},
        "consent": True,
    }
    return client.post("/api/v1/cases", json=body, headers=token_for(client, person))


def sent_for(app: Flask, case: dict[str, Any]) -> list[Any]:
    """What the agencies received for the case's steps."""
    ids = {step["id"] for step in case["steps"]}
    return [entry for entry in app.extensions["ledger"].entries() if entry.step_id in ids]


def test_a_signatory_alone_sends_for_the_company_once_with_who_and_on_what_basis(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    response = submit(client, JOHAN, "close-business", NILSSONS)
    assert response.status_code == 201, response.json
    johan = token_for(client, JOHAN)
    case = wait_until(lambda: finished(client, johan, response.json["id"]), timeout_s=60)
    assert case["status"] == "done"
    assert case["on_behalf_of"]["name"] == "Nilssons Båtservice"
    received = sent_for(app, case)
    # Bolagsverket and F-tax at Skatteverket: the register says F-tax only.
    assert sorted(entry.step for entry in received) == ["deregister-company", "deregister-f-tax"]
    for entry in received:
        assert entry.times_received == 1 and entry.on_behalf_of == NILSSONS
        assert entry.acting == {
            "organisation_number": NILSSONS,
            "acted_by": JOHAN,
            "basis": "signatory",
        }
    listed = client.get(f"/api/v1/organisations/{NILSSONS}/cases", headers=johan).json
    mine = next(c for c in listed if c["id"] == case["id"])
    assert mine["made_by"] == {
        "name": "Johan Nilsson",
        "basis": "signatory",
        "basis_text": "firmatecknare",
    }
    log = client.get(f"/api/v1/organisations/{NILSSONS}/log", headers=johan).json
    assert any(e["case_id"] == case["id"] and e["by"] == "Johan Nilsson" for e in log)


def test_joint_signatories_nothing_is_sent_until_the_second_confirms(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    response = submit(client, LENA, "close-business", EKSTROM_LUND, has_employees=True)
    assert response.status_code == 201, response.json
    sent = response.json
    assert {(s["status"], s["ball"]) for s in sent["steps"]} == {("waiting", "person")}
    per = token_for(client, PER)
    asked = [
        c
        for c in client.get("/api/v1/me/confirmations", headers=per).json
        if c["life_event"] == "close-business" and c["state"] == "asked"
    ]
    assert [(c["role"], c["asked_by"]) for c in asked] == [("co_signatory", "Lena Ekström")]
    messages = client.get("/api/v1/me/messages", headers=per).json
    assert any(m["kind"] == "confirmation" for m in messages), messages
    assert sent_for(app, sent) == []  # nothing has left
    lena = token_for(client, LENA)
    assert client.get(f"/api/v1/cases/{sent['id']}", headers=lena).json["status"] != "done"
    assert sent_for(app, sent) == []
    listed = client.get(f"/api/v1/organisations/{EKSTROM_LUND}/cases", headers=per).json
    assert next(c for c in listed if c["id"] == sent["id"])["status"] != "done"
    answer = f"/api/v1/me/confirmations/{asked[0]['id']}"
    assert client.post(answer, json={"decision": "confirm"}, headers=per).status_code == 200
    case = wait_until(lambda: finished(client, lena, sent["id"]), timeout_s=60)
    received = sent_for(app, case)
    # The register says F-tax and VAT; employees left: employer too; and Bolagsverket.
    assert len(received) == 4 and all(entry.times_received == 1 for entry in received)
    for entry in received:
        assert entry.acting == {
            "organisation_number": EKSTROM_LUND,
            "acted_by": LENA,
            "basis": "joint_signatory",
        }
    log = client.get(f"/api/v1/organisations/{EKSTROM_LUND}/log", headers=per).json
    done = [(e["kind"], e["by"]) for e in log if e["case_id"] == case["id"]]
    assert done == [("case_confirmed", "Per Lund"), ("case_submitted", "Lena Ekström")]


def test_the_company_register_prefills_the_company_facts(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    response = submit(client, LENA, "hire-first-employee", EKSTROM_LUND)
    assert response.status_code == 201, response.json
    answers = {a["question"]: a for a in response.json["answers"]}
    assert answers["company_name"]["value"] == "Ekström & Lund Bygg AB"
    assert answers["company_form"]["value"] == "limited_company"
    assert answers["company_name"]["source"]["kind"] == "register"


def test_representations_list_signatories_jointly_and_powers_of_attorney(
    client: FlaskClient,
) -> None:
    def of(person: str) -> list[dict[str, Any]]:
        response = client.get("/api/v1/me/representations", headers=token_for(client, person))
        assert response.status_code == 200
        return [r for r in response.json if r["organisation_number"] != NILSSONS or person == JOHAN]

    assert [(r["organisation_number"], r["basis"]) for r in of(JOHAN)] == [(NILSSONS, "signatory")]
    for person in (LENA, PER):
        (lena_or_per,) = of(person)
        assert lena_or_per["basis"] == "joint_signatory" and lena_or_per["needs_confirmation"]
        assert lena_or_per["name"] == "Ekström & Lund Bygg AB"
    (amira,) = of(AMIRA)
    assert amira["basis"] == "power_of_attorney"
    assert sorted(amira["life_events"]) == ["close-business", "hire-first-employee"]
    assert of(KARIN) == []


def test_a_power_of_attorney_is_given_used_and_revoked(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    johan, anna = token_for(client, JOHAN), token_for(client, ANNA)
    given = give_power(client, JOHAN, NILSSONS, ANNA, "hire-first-employee")
    assert given.status_code == 201, given.json
    assert given.json["state"] == "in_force" and given.json["holder_name"] == "Anna Lindqvist"
    # Anna now acts for the company, for that life event only.
    used = submit(client, ANNA, "hire-first-employee", NILSSONS)
    assert used.status_code == 201, used.json
    case = wait_until(lambda: finished(client, anna, used.json["id"]), timeout_s=60)
    (entry,) = sent_for(app, case)
    assert entry.acting == {
        "organisation_number": NILSSONS,
        "acted_by": ANNA,
        "basis": "power_of_attorney",
    }
    # Skatteverket's system and its officers see the company, who acted and on what basis.
    agency = client.post("/api/v1/dev/agency/token", json={"agency": "skatteverket"}).json
    bearer = {"Authorization": f"Bearer {agency['access_token']}"}
    seen = client.get(f"/api/v1/agencies/skatteverket/steps/{entry.step_id}", headers=bearer)
    assert seen.status_code == 200, seen.json
    assert seen.json["company"] | {"name": None} == {
        "organisation_number": NILSSONS,
        "name": None,
        "acted_by": ANNA,
        "acted_by_name": "Anna Lindqvist",
        "basis": "power_of_attorney",
        "basis_text": "fullmakt",
    }
    other = submit(client, ANNA, "close-business", NILSSONS)
    assert other.status_code == 422
    assert "organisation" in other.json["errors"]["json"]["answers"]
    # Johan sees the case Anna made for his company, and who made it on what basis.
    listed = client.get(f"/api/v1/organisations/{NILSSONS}/cases", headers=johan).json
    made = next(c for c in listed if c["id"] == case["id"])["made_by"]
    assert (made["name"], made["basis"]) == ("Anna Lindqvist", "power_of_attorney")
    # Anna may not give or revoke powers: she is no signatory.
    power = given.json["id"]
    path = f"/api/v1/organisations/{NILSSONS}/powers-of-attorney/{power}/revoke"
    assert client.post(path, headers=anna).status_code == 403
    revoked = client.post(path, headers=johan)
    assert revoked.status_code == 200 and revoked.json["state"] == "revoked"
    # Revoked: no new case, but the one already done stays done.
    again = submit(client, ANNA, "hire-first-employee", NILSSONS)
    assert again.status_code == 422
    assert client.get(f"/api/v1/cases/{case['id']}", headers=anna).json["status"] == "done"
    assert len(sent_for(app, case)) == 1
    assert client.get(f"/api/v1/organisations/{NILSSONS}/cases", headers=anna).status_code == 403
    log = client.get(f"/api/v1/organisations/{NILSSONS}/log", headers=johan).json
    kinds = [e["kind"] for e in log if e["detail"].get("power") == power]
    assert kinds == ["power_revoked", "power_granted"]
    export = client.get("/api/v1/me/export", headers=johan).json
    assert any(p["id"] == power for p in export["powers_of_attorney"]["given"])
    held = client.get("/api/v1/me/export", headers=anna).json["powers_of_attorney"]["held"]
    assert any(p["id"] == power and p["state"] == "revoked" for p in held)


def test_a_lapsed_power_of_attorney_stops_new_cases(client: FlaskClient) -> None:
    johan = token_for(client, JOHAN)
    start = (today() - dt.timedelta(days=10)).isoformat()
    ended = (today() - dt.timedelta(days=1)).isoformat()
    grant = {
        "holder": KARIN,
        "life_events": ["close-business"],
        "valid_from": start,
        "valid_until": ended,
    }
    refused = client.post(
        f"/api/v1/organisations/{NILSSONS}/powers-of-attorney", json=grant, headers=johan
    )
    assert refused.status_code == 422 and "valid_until" in refused.json["errors"]


def test_someone_with_no_right_is_refused_and_nothing_is_sent(
    app: Flask, client: FlaskClient
) -> None:
    karin = token_for(client, KARIN)
    before = len(app.extensions["ledger"].entries())
    response = submit(client, KARIN, "close-business", EKSTROM_LUND)
    assert response.status_code == 422
    (refusal,) = response.json["errors"]["json"]["answers"]["organisation"]
    assert "tecknar firman" in refusal
    cases = client.get("/api/v1/cases", headers=karin).json
    assert not any(c["life_event"] == "close-business" for c in cases)
    for path in ("cases", "log", "powers-of-attorney"):
        refused = client.get(f"/api/v1/organisations/{EKSTROM_LUND}/{path}", headers=karin)
        assert refused.status_code == 403 and refused.json["message"]
    assert client.get("/api/v1/organisations/556677-0000/cases", headers=karin).status_code == 404
    assert len(app.extensions["ledger"].entries()) >= before


def test_the_companys_cases_are_seen_by_all_its_representatives_and_nobody_else(
    client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    response = submit(client, AMIRA, "hire-first-employee", EKSTROM_LUND)
    assert response.status_code == 201, response.json
    case_id = response.json["id"]
    for person in (LENA, PER, AMIRA):
        listed = client.get(
            f"/api/v1/organisations/{EKSTROM_LUND}/cases", headers=token_for(client, person)
        )
        assert listed.status_code == 200
        assert case_id in [c["id"] for c in listed.json]
    for person in (JOHAN, ANNA, KARIN):
        headers = token_for(client, person)
        assert (
            client.get(f"/api/v1/organisations/{EKSTROM_LUND}/cases", headers=headers).status_code
            == 403
        )
        assert client.get(f"/api/v1/cases/{case_id}", headers=headers).status_code == 404

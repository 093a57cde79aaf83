"""Need to know: an officer sees their own agency's steps and exactly their fields; citizens
and officers never reach each other's pages; another agency's step is 404 in pages and API."""

from __future__ import annotations

import re
import subprocess

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from contactpoint.db.models import AuditEntry
from contactpoint.extensions import db
from tests.conftest import ANNA
from tests.helpers.officer import agency_headers, officer_login, submit, wait_for_step
from tests.helpers.pages import csrf, login
from workflows.lifeevents import catalogue


def shown_fields(html: str) -> set[str]:
    return set(re.findall(r'data-field="([^"]+)"', html))


def test_an_officer_session_never_reaches_citizen_pages_and_back(client: FlaskClient) -> None:
    officer_login(client, "forsakringskassan-1")
    response = client.get("/my-pages")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert client.get("/officer").status_code == 200

    login(client, ANNA)  # a citizen login replaces the officer's session
    assert client.get("/my-pages").status_code == 200
    response = client.get("/officer")
    assert response.status_code == 302 and "/officer/login" in response.headers["Location"]


def test_a_citizen_token_never_reaches_the_agency_api(client: FlaskClient, anna: dict) -> None:
    response = client.get("/api/v1/agencies/forsakringskassan/steps", headers=anna)
    assert response.status_code == 401 and "message" in response.json
    fk = agency_headers(client, "forsakringskassan")
    assert client.get("/api/v1/cases", headers=fk).status_code == 401


def test_another_agencys_step_is_404_and_each_sees_exactly_its_fields(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes], anna: dict[str, str]
) -> None:
    case = submit(client, anna, studying=True)
    housing = wait_for_step(client, anna, case["id"], "housing-allowance", "waiting", "agency")
    csn = wait_for_step(client, anna, case["id"], "student-finance-address", "done")
    event = catalogue()["moving"]

    officer_login(client, "skatteverket-1")
    assert client.get(f"/officer/steps/{housing['id']}").status_code == 404
    page = client.get("/officer").get_data(as_text=True)
    refused = client.post(
        f"/officer/steps/{housing['id']}/decision",
        data={"csrf_token": csrf(page), "decision": "approve"},
    )
    assert refused.status_code == 404
    skv = agency_headers(client, "skatteverket")
    assert (
        client.get(f"/api/v1/agencies/skatteverket/steps/{housing['id']}", headers=skv).status_code
        == 404
    )
    assert client.get("/api/v1/agencies/forsakringskassan/steps", headers=skv).status_code == 404
    decision = client.post(
        f"/api/v1/agencies/forsakringskassan/steps/{housing['id']}/decision",
        json={"decision": "approve"},
        headers=skv,
    )
    assert decision.status_code == 404

    # Försäkringskassan's step declares the name and the personal number: both are shown.
    officer_login(client, "forsakringskassan-1")
    html = client.get(f"/officer/steps/{housing['id']}").get_data(as_text=True)
    declared = set(event.step("housing-allowance").fields)
    assert shown_fields(html) == declared - {"name", "personal_number"}
    assert "Anna Lindqvist" in html and ANNA in html
    assert "SKV-" not in html and "CSN-" not in html  # other agencies' references: never
    assert "Skatteverket" in html and "CSN" in html  # their steps' status: yes

    # CSN's step declares the personal number but not the name.
    officer_login(client, "csn-2")
    html = client.get(f"/officer/steps/{csn['id']}").get_data(as_text=True)
    assert shown_fields(html) == set(event.step("student-finance-address").fields) - {
        "personal_number"
    }
    assert ANNA in html and "Anna Lindqvist" not in html
    assert "move_date" not in shown_fields(html)

    fk = agency_headers(client, "forsakringskassan")
    body = client.get(f"/api/v1/agencies/forsakringskassan/steps/{housing['id']}", headers=fk).json
    assert set(body["fields"]) == declared
    assert body["fields"]["personal_number"] == ANNA
    assert all(set(other) >= {"agency", "status", "ball"} for other in body["case_steps"])
    assert not any("reference" in other or "fields" in other for other in body["case_steps"])

    with app.app_context():
        views = db.session.scalars(
            sa.select(AuditEntry).where(
                AuditEntry.action == "viewed_step", AuditEntry.case_id == case["id"]
            )
        ).all()
        seen = {(entry.actor, entry.step_id) for entry in views}
        fk_view = next(e for e in views if e.actor == "officer:forsakringskassan-1").detail
        db.session.rollback()
    assert ("officer:forsakringskassan-1", housing["id"]) in seen
    assert ("officer:csn-2", csn["id"]) in seen
    assert ("agency:forsakringskassan", housing["id"]) in seen
    assert not any(actor == "officer:skatteverket-1" for actor, _ in seen)  # refused: not shown
    assert sorted(fk_view["fields"]) == sorted(declared)


def test_a_decision_without_what_it_needs_names_the_field(
    client: FlaskClient, worker: subprocess.Popen[bytes], anna: dict[str, str]
) -> None:
    case = submit(client, anna)
    housing = wait_for_step(client, anna, case["id"], "housing-allowance", "waiting", "agency")
    fk = agency_headers(client, "forsakringskassan")
    url = f"/api/v1/agencies/forsakringskassan/steps/{housing['id']}/decision"
    response = client.post(url, json={"decision": "reject"}, headers=fk)
    assert response.status_code == 422 and "reason" in response.json["errors"]["json"]
    response = client.post(url, json={"decision": "complement", "question": ""}, headers=fk)
    assert response.status_code == 422 and "question" in response.json["errors"]["json"]
    response = client.post(url, json={"decision": "maybe"}, headers=fk)
    assert response.status_code == 422 and "decision" in response.json["errors"]["json"]

    officer_login(client, "forsakringskassan-2")
    page = client.get(f"/officer/steps/{housing['id']}").get_data(as_text=True)
    response = client.post(
        f"/officer/steps/{housing['id']}/decision",
        data={"csrf_token": csrf(page), "decision": "reject", "reason": "  "},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "error-summary" in html and 'href="#reason"' in html
    assert wait_for_step(client, anna, case["id"], "housing-allowance", "waiting", "agency")


def test_only_a_supervisor_reads_the_audit_trail(client: FlaskClient) -> None:
    officer_login(client, "kommun_0380-1")
    assert client.get("/officer/audit").status_code == 403
    officer_login(client, "kommun_0380-s")
    assert client.get("/officer/audit").status_code == 200

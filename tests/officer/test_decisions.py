"""Each decision resumes the workflow through the real worker; the citizen's My pages shows the
result with the ball where it belongs; every decision is in the audit trail."""

from __future__ import annotations

import re
import subprocess

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from contactpoint.db.models import AuditEntry, Step
from contactpoint.extensions import db
from tests.conftest import ANNA, wait_until
from tests.helpers.officer import (
    agency_headers,
    case_status,
    officer_login,
    submit,
    wait_for_step,
)
from tests.helpers.pages import csrf, login

ERIK = "19870715-4574"


def decide_on_page(client: FlaskClient, step_id: str, **data: str) -> str:
    page = client.get(f"/officer/steps/{step_id}").get_data(as_text=True)
    response = client.post(
        f"/officer/steps/{step_id}/decision", data={"csrf_token": csrf(page), **data}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return client.get(response.headers["Location"]).get_data(as_text=True)


def my_case_page(app: Flask, personal_number: str, case_id: str) -> str:
    citizen = app.test_client()
    login(citizen, personal_number)
    return citizen.get(f"/my-pages/cases/{case_id}?lang=en").get_data(as_text=True)


def step_item(html: str, key: str) -> str:
    return html.split(f'data-step="{key}"')[1].split("</li>")[0]


def audit_of(app: Flask, step_id: str) -> list[tuple[str, str, dict]]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.step_id == step_id).order_by(AuditEntry.id)
        ).all()
        found = [(row.actor, row.action, dict(row.detail)) for row in rows]
        db.session.rollback()
    return found


def test_an_approval_on_the_page_finishes_the_case(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes], anna: dict[str, str]
) -> None:
    case = submit(client, anna)
    step = wait_for_step(client, anna, case["id"], "housing-allowance", "waiting", "agency")
    mine = my_case_page(app, ANNA, case["id"])
    assert "The agency is handling it" in step_item(mine, "housing-allowance")

    officer_login(client, "forsakringskassan-1")
    inbox = client.get("/officer?queue=waiting&sort=newest").get_data(as_text=True)
    assert f'data-step="{step["id"]}"' in inbox and case["reference"] in inbox
    html = decide_on_page(client, step["id"], decision="approve", reference="FK-2026-77")
    assert "Your decision is saved" in html

    wait_until(lambda: case_status(client, anna, case["id"]) == "done", timeout_s=60)
    mine = my_case_page(app, ANNA, case["id"])
    item = step_item(mine, "housing-allowance")
    assert item.startswith(' data-status="done"')
    assert "FK-2026-77" in item and "You need to act" not in mine
    assert "has approved it" in mine  # the timeline says who decided, in plain words

    trail = audit_of(app, step["id"])
    assert ("officer:forsakringskassan-1", "viewed_step") in [(a, b) for a, b, _ in trail]
    decided = [detail for actor, action, detail in trail if action == "decided"]
    assert decided == [{"decision": "approve", "reference": "FK-2026-77"}]
    again = client.post(
        f"/officer/steps/{step['id']}/decision",
        data={"csrf_token": csrf(html), "decision": "reject", "reason": "Too late"},
    )
    assert "already decided" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert len([1 for _a, action, _d in audit_of(app, step["id"]) if action == "decided"]) == 1


def test_a_rejection_through_the_api_shows_the_reason_to_the_citizen(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes], anna: dict[str, str]
) -> None:
    case = submit(client, anna)
    step = wait_for_step(client, anna, case["id"], "housing-allowance", "waiting", "agency")
    fk = agency_headers(client, "forsakringskassan")
    listed = client.get("/api/v1/agencies/forsakringskassan/steps?sort=newest", headers=fk).json
    assert step["id"] in [item["id"] for item in listed["items"]]
    reason = "Your income is above the limit for housing allowance."
    response = client.post(
        f"/api/v1/agencies/forsakringskassan/steps/{step['id']}/decision",
        json={"decision": "reject", "reason": reason},
        headers=fk,
    )
    assert response.status_code == 200, response.json
    assert response.json["outcome"] == "rejected" and response.json["ball"] == "none"

    wait_until(lambda: case_status(client, anna, case["id"]) == "done_with_problems", 60)
    item = step_item(my_case_page(app, ANNA, case["id"]), "housing-allowance")
    assert reason in item and "said no" in item
    replay = client.post(
        f"/api/v1/agencies/forsakringskassan/steps/{step['id']}/decision",
        json={"decision": "approve"},
        headers=fk,
    )
    assert replay.status_code == 409
    decided = [(a, d) for a, action, d in audit_of(app, step["id"]) if action == "decided"]
    assert decided == [("agency:forsakringskassan", {"decision": "reject", "reason": reason})]


def test_a_complement_puts_the_ball_with_the_citizen_until_they_answer(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    from tests.conftest import token_for

    erik = token_for(client, ERIK)
    case = submit(client, erik)
    step = wait_for_step(client, erik, case["id"], "housing-allowance", "waiting", "agency")
    officer_login(client, "forsakringskassan-2")
    question = "How much is the monthly rent of your new home?"
    decide_on_page(client, step["id"], decision="complement", question=question)

    wait_for_step(client, erik, case["id"], "housing-allowance", "waiting", "citizen")
    mine = my_case_page(app, ERIK, case["id"])
    assert question in mine and "You need to act" in mine

    from workflows import engine, runtime

    with app.app_context():  # the citizen answers (My pages' form does the same)
        current = runtime.current()
        assert engine.answer_complement(
            current.store, current.dispatcher, step["id"], "8 400 kronor", "citizen"
        )
    wait_for_step(client, erik, case["id"], "housing-allowance", "waiting", "agency")
    html = client.get(f"/officer/steps/{step['id']}").get_data(as_text=True)
    assert question in html and "8 400 kronor" in html
    decide_on_page(client, step["id"], decision="approve")
    wait_until(lambda: case_status(client, erik, case["id"]) == "done", timeout_s=60)
    actions = [action for _a, action, _d in audit_of(app, step["id"])]
    assert actions.count("decided") == 2 and actions.count("viewed_step") >= 3


def test_a_supervisor_reassigns_and_retries_a_failed_step_through_the_worker(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes], anna: dict[str, str]
) -> None:
    case = submit(client, anna)
    step = wait_for_step(client, anna, case["id"], "housing-allowance", "waiting", "agency")
    with app.app_context():  # the agency's system gave up on it (e.g. retries exhausted)
        db.session.execute(
            sa.update(Step)
            .where(Step.id == step["id"])
            .values(status="failed", status_reason="Försäkringskassan could not be reached.")
        )
        db.session.commit()

    officer_login(client, "forsakringskassan-1")
    page = client.get(f"/officer/steps/{step['id']}").get_data(as_text=True)
    assert "Send the step again" not in page
    assert (
        client.post(
            f"/officer/steps/{step['id']}/retry", data={"csrf_token": csrf(page)}
        ).status_code
        == 403
    )

    officer_login(client, "forsakringskassan-s")
    page = client.get(f"/officer/steps/{step['id']}").get_data(as_text=True)
    client.post(
        f"/officer/steps/{step['id']}/assign",
        data={"csrf_token": csrf(page), "assignee": "forsakringskassan-2"},
    )
    response = client.post(f"/officer/steps/{step['id']}/retry", data={"csrf_token": csrf(page)})
    assert response.status_code == 302
    wait_for_step(client, anna, case["id"], "housing-allowance", "waiting", "agency")
    ledger = {entry.step_id: entry for entry in app.extensions["ledger"].entries()}
    assert ledger[step["id"]].times_received == 2  # sent again; the same idempotency key

    officer_login(client, "forsakringskassan-2")
    mine = client.get("/officer?assigned=me").get_data(as_text=True)
    assert f'data-step="{step["id"]}"' in mine
    trail = client.get("/officer/audit").status_code
    assert trail == 403
    officer_login(client, "forsakringskassan-s")
    trail_html = client.get(f"/officer/audit?reference={case['reference']}").get_data(as_text=True)
    assert 'data-action="retried"' in trail_html and 'data-action="assigned"' in trail_html
    assert 'data-action="viewed_step"' in trail_html


def test_the_officers_timeline_says_why_an_attempt_failed_and_when_the_next_is(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes], anna: dict[str, str]
) -> None:
    from contactpoint.db.statements import add_event

    case = submit(client, anna)
    step = wait_for_step(client, anna, case["id"], "housing-allowance", "waiting", "agency")
    with app.app_context():  # the agency's system had been down before it answered
        detail = {"reason": "no answer", "retry_at": "2026-11-24T13:05:00+00:00"}
        add_event(case["id"], step["id"], "step_retry", agency="forsakringskassan", **detail)
        db.session.commit()
    officer_login(client, "forsakringskassan-1")
    html = client.get(f"/officer/steps/{step['id']}?lang=en").get_data(as_text=True)
    assert "could not be reached; next attempt" in html and "14:05" in html
    assert "Reason: no answer" in html and ".:" not in html


def test_the_officers_pages_speak_words_not_codes_and_say_who_decided(
    client: FlaskClient, worker: subprocess.Popen[bytes], anna: dict[str, str]
) -> None:
    case = submit(client, anna)
    step = wait_for_step(client, anna, case["id"], "housing-allowance", "waiting", "agency")
    officer_login(client, "forsakringskassan-1")  # Lena Holm
    page = client.get(f"/officer/steps/{step['id']}").get_data(as_text=True)
    assert page.count("What we received") == 1
    received = re.findall(
        r'<div class="govuk-summary-list__row" data-field="([a-z_]+)">'
        r'<dt class="govuk-summary-list__key">[^<]*</dt>'
        r'<dd class="govuk-summary-list__value">([^<]*)',
        page,
    )
    assert [name for name, _ in received] == [
        "move_date", "new_street", "new_postal_code", "new_municipality", "bank_account"
    ]  # fmt: skip
    assert dict(received)["new_municipality"] == "Uppsala"
    decide_on_page(client, step["id"], decision="approve")

    officer_login(client, "forsakringskassan-s")
    decided = client.get("/officer?queue=decided&sort=newest").get_data(as_text=True)
    row = decided.split(f'data-step="{step["id"]}"')[1].split("</tr>")[0]
    assert "Lena Holm" in row and "Decided by" in decided
    assert "Lena Holm" in client.get(f"/officer/steps/{step['id']}").get_data(as_text=True)
    trail = client.get(f"/officer/audit?reference={case['reference']}").get_data(as_text=True)
    assert "decision: approve" not in trail and "fields: " not in trail
    assert "Decision: Approved" in trail and "bank_account" not in trail
    assert "Fields: " in trail and "Which bank account should the housing allowance" in trail

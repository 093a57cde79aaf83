"""After an outage of the agency's own system: its officers see what was not delivered yet and
what failed, and a supervisor sends them, through the real worker, from the inbox."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from contactpoint.db.models import AuditEntry, Step
from contactpoint.extensions import db
from contactpoint.officer.pages import inbox as officer_inbox
from tests.helpers.officer import agency_headers, officer_login, submit, wait_for_step
from tests.helpers.pages import csrf
from workflows import runtime

AGENCY = "forsakringskassan"
HOUR_S = 3600.0


def _undelivered(app: Flask, step_id: str) -> None:
    """The step as the engine leaves it when the agency's system did not answer an attempt
    after the quick retries: running, its next attempt an hour away."""
    with app.app_context():
        db.session.execute(
            sa.update(Step).where(Step.id == step_id).values(status="running", ball="none")
        )
        db.session.commit()
        runtime.current().store.step_retrying(step_id, "no answer", HOUR_S, scheduled=True)


def _actions(app: Flask, step_id: str) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(AuditEntry.actor, AuditEntry.action)
            .where(AuditEntry.step_id == step_id)
            .order_by(AuditEntry.id)
        ).all()
        db.session.rollback()
    return [(row.actor, row.action) for row in rows]


def _row(html: str, step_id: str) -> str:
    start = html.index(f'data-step="{step_id}"')
    return html[start : html.index("</tr>", start)]


def test_a_supervisor_sends_the_steps_the_agencys_system_missed_now(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes], anna: dict[str, str]
) -> None:
    case = submit(client, anna)
    step = wait_for_step(client, anna, case["id"], "housing-allowance", "waiting", "agency")
    _undelivered(app, step["id"])

    officer_login(client, f"{AGENCY}-1")
    html = client.get("/officer?queue=unreachable&lang=en").get_data(as_text=True)
    row = _row(html, step["id"])
    assert "Your system not reached" in row and "<time datetime=" in row
    assert "Next attempt" in html and "could not deliver these steps" in html
    assert "steps now" not in html and "step now" not in html  # not a supervisor's page
    denied = client.post("/officer/send-now", data={"csrf_token": csrf(html)})
    assert denied.status_code == 403
    page = client.get(f"/officer/steps/{step['id']}?lang=en").get_data(as_text=True)
    assert "Your system not reached" in page and "next attempt" in page

    system = agency_headers(client, AGENCY)
    listed = client.get(f"/api/v1/agencies/{AGENCY}/steps?queue=unreachable", headers=system)
    item = next(item for item in listed.json["items"] if item["id"] == step["id"])
    assert item["status"] == "running" and item["retry_at"]
    assert listed.json["counts"]["unreachable"] >= 1

    officer_login(client, f"{AGENCY}-s")
    html = client.get("/officer?queue=unreachable&lang=en").get_data(as_text=True)
    assert "now</button>" in html
    sent = client.post("/officer/send-now", data={"csrf_token": csrf(html)})
    assert sent.status_code == 302 and "queue=unreachable" in sent.headers["Location"]
    after = client.get(sent.headers["Location"] + "&lang=en").get_data(as_text=True)
    assert "sent now" in after

    wait_for_step(client, anna, case["id"], "housing-allowance", "waiting", "agency")
    ledger = {entry.step_id: entry for entry in app.extensions["ledger"].entries()}
    assert ledger[step["id"]].times_received == 2  # sent again; the same idempotency key
    assert (f"officer:{AGENCY}-s", "sent_now") in _actions(app, step["id"])
    html = client.get("/officer?queue=unreachable").get_data(as_text=True)
    assert f'data-step="{step["id"]}"' not in html


def test_a_supervisor_sends_the_failed_steps_again_from_the_inbox_a_batch_a_press(
    app: Flask,
    client: FlaskClient,
    worker: subprocess.Popen[bytes],
    anna: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(officer_inbox, "RETRY_AT_ONCE", 1)  # a press sends one
    steps = []
    for day in (1, 2):  # two steps that failed after every attempt, long ago
        case = submit(client, anna)
        step = wait_for_step(client, anna, case["id"], "housing-allowance", "waiting", "agency")
        with app.app_context():
            failed_at = dt.datetime(2000, 1, day, tzinfo=dt.UTC)
            reason = "Försäkringskassan could not be reached."
            db.session.execute(
                sa.update(Step)
                .where(Step.id == step["id"])
                .values(status="failed", status_reason=reason, finished_at=failed_at)
            )
            db.session.commit()
        steps.append((case["id"], step["id"]))

    officer_login(client, f"{AGENCY}-2")
    html = client.get("/officer?queue=failed&lang=en").get_data(as_text=True)
    assert all(f'data-step="{step_id}"' in html for _case, step_id in steps)
    assert "again</button>" not in html
    assert client.post("/officer/retry-failed", data={"csrf_token": csrf(html)}).status_code == 403

    officer_login(client, f"{AGENCY}-s")
    html = client.get("/officer?queue=failed&lang=en").get_data(as_text=True)
    assert "Send the 1 that failed first again</button>" in html
    assert client.post("/officer/retry-failed", data={}).status_code == 400  # no CSRF token
    for number, (case_id, step_id) in enumerate(steps):
        sent = client.post("/officer/retry-failed", data={"csrf_token": csrf(html)})
        assert sent.status_code == 302
        page = client.get(sent.headers["Location"] + "&lang=en").get_data(as_text=True)
        assert "1 step is sent again. Any left go with the next press." in page
        wait_for_step(client, anna, case_id, "housing-allowance", "waiting", "agency")
        assert (f"officer:{AGENCY}-s", "retried") in _actions(app, step_id)
        for _later_case, later_step in steps[number + 1 :]:  # the later failure waits its turn
            assert f'data-step="{later_step}"' in page

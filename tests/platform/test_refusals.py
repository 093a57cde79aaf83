"""Refusals, walked over the whole URL map so that a route added later is held to them too:
every form of the pages is refused without its CSRF token, and every page and API endpoint
that needs someone signed in refuses a caller who is not."""

from __future__ import annotations

import logging
import subprocess
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from contactpoint.db.models import AuditEntry, Case, CaseEvent, Draft, Feedback, Step
from contactpoint.extensions import db
from tests.conftest import ANNA, token_for, wait_until
from tests.helpers.officer import officer_login, submit, wait_for_step
from tests.helpers.pages import csrf, login
from tests.helpers.walk import path_of, sample_arguments

WAITING_AT = "forsakringskassan"  # where the moving case's housing allowance waits for an officer
# The one form-encoded POST outside /api/ that takes no CSRF token: the simulated provider's
# token endpoint, which the app's server calls with the client's secret, never a browser.
CSRF_EXEMPT = {"devidp.token"}
# What anyone may use without signing in: the open pages, signing in and out, the health
# checks and metrics for the operator, the files pages load, the simulated provider (it is
# where one signs in), the open catalogues (life events and their rules, registers, agencies),
# the open statistics, the API's documentation, an e-mail's verification link (the link is
# the proof), and the development token endpoints and caught mail (which production does not
# mount).
PUBLIC = {
    "home.index",
    "about.accessibility",
    "about.privacy",
    "about.cookies",
    "about.contact",
    "about.favicon",
    "journey.start",
    "login.login",
    "login.callback",
    "login.logout",
    "officer_login.login",
    "officer_login.callback",
    "officer_login.logout",
    "signin.status",
    "signin.stay",
    "signin.signed_out",
    "health.healthz",
    "health.livez",
    "metrics.metrics",
    "static",
    "frontend.stylesheet",
    "frontend.script",
    "frontend.asset",
    "contact.verify",
    "devmail.index",
    "devidp.discovery",
    "devidp.keys",
    "devidp.authorize",
    "devidp.token",
    "devidp.logout",
    "statistics.page",
    "statistics_api.Statistics",
    "statistics_api.StatisticsCsv",
    "statistics_api.StatisticsMetadata",
    "catalogues.Registers",
    "catalogues.Agencies",
    "life_events.LifeEvents",
    "life_events.LifeEventDetail",
    "life_events.Evaluate",
    "api-docs.openapi_json",
    "api-docs.openapi_swagger_ui",
    "api_docs_assets",
    "me.ExportSchema",
    "dev.EidToken",
    "dev.AgencyToken",
    "agencies.Token",
}
# A form as complete as any page's, but for its token.
FORM = {
    "consent": "y",
    "decision": "approve",
    "reason": "x",
    "question": "x",
    "answer": "x",
    "ease": "5",
    "comment": "x",
    "move_date": "2030-01-01",
    "personal_number": ANNA,
    "officer": f"{WAITING_AT}-1",
    "assignee": f"{WAITING_AT}-1",
}


@pytest.fixture()
def arguments(app: Flask) -> dict[str, str]:
    """Valid values of the rules' arguments."""
    return sample_arguments(app.test_client())


@pytest.fixture()
def waiting_case(app: Flask, worker: subprocess.Popen[bytes]) -> dict[str, str]:
    """A case of Anna's whose step at WAITING_AT waits for an officer's decision, with nothing
    of it left for the worker to do: what changes it now is a person's form."""
    client = app.test_client()
    bearer = token_for(client, ANNA)
    case = submit(client, bearer, housing_allowance=True)
    step = wait_for_step(client, bearer, case["id"], "housing-allowance", "waiting", "agency")

    def settled() -> bool:
        steps = client.get(f"/api/v1/cases/{case['id']}", headers=bearer).json["steps"]
        return all(step["status"] not in ("pending", "running") for step in steps)

    wait_until(settled, timeout_s=60)
    return {"case_id": case["id"], "step_id": step["id"]}


def _state(case_id: str) -> dict[str, Any]:
    """What a form could change: the case, its steps and timeline, and what only people's
    actions write (drafts, feedback, the audit trail)."""
    with db.engine.connect() as connection:
        state: dict[str, Any] = {
            "case": connection.execute(
                sa.select(Case.status, Case.version).where(Case.id == case_id)
            ).one(),
            "steps": connection.execute(
                sa.select(Step.id, Step.status, Step.version, Step.assigned_to)
                .where(Step.case_id == case_id)
                .order_by(Step.id)
            ).all(),
            "events": connection.scalar(
                sa.select(sa.func.count()).where(CaseEvent.case_id == case_id)
            ),
        }
        for table in (Draft.__table__, Feedback.__table__, AuditEntry.__table__):
            columns = [sa.func.count()]
            if "updated_at" in table.c:
                columns.append(sa.func.max(table.c.updated_at))
            state[table.name] = tuple(connection.execute(sa.select(*columns)).one())
    return state


def _signed_in(client: FlaskClient) -> bool:
    with client.session_transaction() as session:
        return "person_id" in session or "officer" in session


def test_every_form_of_the_pages_is_refused_without_its_csrf_token(
    app: Flask,
    arguments: dict[str, str],
    waiting_case: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="flask_wtf.csrf")
    forms = [
        rule
        for rule in app.url_map.iter_rules()
        if "POST" in (rule.methods or set())
        and not rule.rule.startswith("/api/")
        and rule.endpoint not in CSRF_EXEMPT
    ]
    assert len(forms) >= 15, [rule.endpoint for rule in forms]  # the walk found the forms
    citizen, officer = app.test_client(), app.test_client()
    login(citizen, ANNA)
    officer_login(officer, f"{WAITING_AT}-s")
    case_id = waiting_case["case_id"]
    for rule in forms:
        client = officer if rule.rule.startswith("/officer") else citizen
        with app.app_context():
            before = _state(case_id)
        caplog.clear()
        response = client.post(path_of(rule, {**arguments, **waiting_case}), data=FORM)
        assert response.status_code == 400, (rule.endpoint, response.status_code)
        assert response.mimetype == "text/html", rule.endpoint  # the service's error page
        assert "The CSRF token is missing." in caplog.messages, rule.endpoint
        with app.app_context():
            assert _state(case_id) == before, rule.endpoint
        assert _signed_in(client), rule.endpoint  # not even signed out


def _refused(response: TestResponse, api: bool) -> bool:
    """Refused for want of a sign-in: 401 (with a message, from the API), or a page's
    redirect to a sign-in."""
    if api:
        return response.status_code == 401 and bool((response.json or {}).get("message"))
    location = response.headers.get("Location", "")
    if response.status_code in (302, 303):
        return location.startswith(("/login", "/officer/login"))
    return response.status_code == 401


def test_every_page_and_endpoint_that_needs_a_sign_in_refuses_without_one(
    app: Flask, arguments: dict[str, str]
) -> None:
    client = app.test_client()
    token = csrf(client.get("/life-events/moving").get_data(as_text=True))  # a visitor's
    unknown = set(PUBLIC) - set(app.view_functions)
    assert not unknown, f"PUBLIC names endpoints the app does not have: {unknown}"
    walked, let_through = 0, []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        path, api = path_of(rule, arguments), rule.rule.startswith("/api/")
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            if api:
                response = client.open(path, method=method, json={})
            elif method == "GET":
                response = client.get(path)
            else:
                response = client.open(path, method=method, data={**FORM, "csrf_token": token})
            walked += 1
            if not _refused(response, api):
                let_through.append((method, rule.rule, response.status_code))
    assert walked >= 40, walked  # the walk reached the pages and the API
    assert not let_through, f"answered without a sign-in (public? add to PUBLIC): {let_through}"

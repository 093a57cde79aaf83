"""An agency's question answered blank in the browser: the error summary, "Fel: " in the
title, the case page's own address, and the summary's link to the answer field."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import APIRequestContext, Page, expect

from tests.conftest import wait_until

from .steps import log_in

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

ERIK = "19870715-4574"


def bearer(request: APIRequestContext, path: str, body: dict[str, str]) -> dict[str, str]:
    token = request.post(path, data=body).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def step_of(request: APIRequestContext, headers: dict[str, str], case_id: str) -> dict[str, Any]:
    steps = request.get(f"/api/v1/cases/{case_id}", headers=headers).json()["steps"]
    step: dict[str, Any] = next(step for step in steps if step["key"] == "housing-allowance")
    return step


def test_an_agencys_question_answered_blank(app: Flask, page: Page) -> None:
    api = page.request
    erik = bearer(api, "/api/v1/dev/eid/token", {"personal_number": ERIK})
    answers = api.get("/api/v1/life-events/moving").json()["example_answers"]
    created = api.post(
        "/api/v1/cases",
        data={"life_event": "moving", "answers": answers, "consent": True},
        headers=erik,
    )
    assert created.status == 201, created.text()
    case_id = created.json()["id"]
    wait_until(lambda: step_of(api, erik, case_id)["status"] == "waiting", timeout_s=60)
    step_id = step_of(api, erik, case_id)["id"]
    agency = bearer(api, "/api/v1/dev/agency/token", {"agency": "forsakringskassan"})
    asked = api.post(
        f"/api/v1/agencies/forsakringskassan/steps/{step_id}/decision",
        data={"decision": "complement", "question": "Hur hög är hyran?"},
        headers=agency,
    )
    assert asked.ok, asked.text()
    wait_until(lambda: step_of(api, erik, case_id)["ball"] == "citizen", timeout_s=60)

    log_in(page, ERIK)
    page.goto(f"/my-pages/cases/{case_id}")
    page.get_by_role("button", name="Skicka svaret").click()
    expect(page).to_have_title(re.compile(r"^Fel: "))
    expect(page).to_have_url(re.compile(rf"/my-pages/cases/{case_id}$"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Skriv ditt svar.").click()
    expect(page.locator(f"#answer-{step_id}")).to_be_focused()

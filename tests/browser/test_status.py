"""What a case's status says in the browser is true of its steps: a finished case with a
deadline left, a withdrawn case whose agency still has its part."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from .conftest import forget_drafts
from .steps import (
    ANNA,
    answer_all_questions,
    consent_and_send,
    log_in,
    start_journey,
    wait_until_done,
)

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

KARIN = "19440225-3274"


def example_answers(page: Page, event_id: str) -> dict[str, Any]:
    answers: dict[str, Any] = page.request.get(f"/api/v1/life-events/{event_id}").json()[
        "example_answers"
    ]
    return answers


def test_a_finished_case_with_a_deadline_left_does_not_say_nobody_must_act(
    app: Flask, page: Page
) -> None:
    forget_drafts(app, KARIN)
    log_in(page, KARIN)
    start_journey(page, "bereavement")
    answer_all_questions(page, example_answers(page, "bereavement"))
    consent_and_send(page)
    wait_until_done(page)
    status = page.locator(".case-status")
    expect(status).to_contain_text("Klart")
    expect(status).not_to_contain_text("Ingen behöver göra något")
    expect(status).to_contain_text("Läs vid varje steg vad som händer sedan")
    expect(page.locator("[data-step='estate-inventory']")).to_contain_text("Håll bouppteckningen")
    expect(page.locator(".kp-timeline")).not_to_contain_text("Allt är klart")


def test_a_withdrawn_case_says_nobody_is_handling_it(app: Flask, page: Page) -> None:
    forget_drafts(app, ANNA)
    log_in(page)
    start_journey(page)
    answer_all_questions(page, {**example_answers(page, "moving"), "housing_allowance": True})
    consent_and_send(page)
    manual = page.locator("[data-step='housing-allowance']")
    expect(manual).to_have_attribute("data-status", "waiting", timeout=60_000)
    expect(manual).to_contain_text("Hos myndigheten")
    page.get_by_role("link", name="Återkalla ärendet").click()
    page.locator("main form [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/my-pages/cases/"))
    status = page.locator(".case-status")
    expect(status).to_contain_text("Återkallat")
    expect(status).to_contain_text("Du behöver inte göra något")
    for said in ("arbetar med det", "handlägger"):
        expect(page.locator("#steps")).not_to_contain_text(said)

"""Where the citizen is in a journey, in the browser: the same stage on every page of
questions however the answers branch, never "question 7 of 10"."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from .conftest import forget_drafts
from .steps import ANNA, continue_button, fill_in, log_in, start_journey
from .tour import example_answers

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def test_the_journey_says_its_stage_not_a_count(app: Flask, page: Page) -> None:
    forget_drafts(app, ANNA)
    log_in(page)
    start_journey(page)
    answers = {**example_answers(page), "housing_allowance": True}  # opens the bank account
    stages = []
    for _ in range(30):
        if re.search(r"/check$", page.url):
            break
        stage = page.locator(".kp-stage")
        expect(stage).to_contain_text("Steg 1 av 4: Svara på frågorna")
        stages.append(stage.inner_text())
        expect(page.locator("main")).not_to_contain_text(re.compile(r"Fråga \d+ av \d+"))
        fill_in(page, answers)
        continue_button(page).click()
    expect(page.locator(".kp-stage")).to_contain_text("Steg 2 av 4: Kontrollera och skicka")
    assert len(stages) > 5 and len(set(stages)) == 1, stages
    forget_drafts(app, ANNA)

"""An inbox of more steps than one page holds, and an audit trail of many openings, in
Chromium: their pagination and tables pass axe (WCAG A and AA) in both languages, and fit a
phone's 320 px without sideways scrolling."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Page, expect

from contactpoint.db.models import Case, Person, Step, new_id
from contactpoint.db.retention_store import RetentionSql
from contactpoint.extensions import db

from .test_accessibility import Audit
from .test_phone import WIDTH

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
AGENCY = "transportstyrelsen"  # no shipped step of it waits for an officer
STEPS = 60  # more than two pages of 25


@pytest.fixture()
def many_waiting(app: Flask) -> Iterator[None]:
    """STEPS steps waiting at AGENCY, one per case of a person of their own."""
    moment = dt.datetime.now(dt.UTC)
    person_id = new_id()
    cases = [
        {"id": new_id(), "reference": f"KP-PAGE{n:04d}", "person_id": person_id,
         "life_event": "moving", "status": "in_progress", "answers": {},
         "consented_at": moment, "created_at": moment - dt.timedelta(minutes=n),
         "updated_at": moment}
        for n in range(STEPS)
    ]  # fmt: skip
    steps = [
        {"id": new_id(), "case_id": case["id"], "position": 0, "key": "vehicle-register",
         "agency": AGENCY, "status": "waiting", "ball": "agency", "depends_on": [],
         "fields": [], "manual": True, "attempts": 1, "outputs": {},
         "started_at": case["created_at"], "due_at": moment + dt.timedelta(days=5),
         "updated_at": moment}
        for case in cases
    ]  # fmt: skip
    with app.app_context():
        person = {"id": person_id, "personal_number": f"PAGE-{person_id}", "name": "Page"}
        db.session.execute(sa.insert(Person), [person])
        db.session.execute(sa.insert(Case), cases)
        db.session.execute(sa.insert(Step), steps)
        db.session.commit()
    yield
    with app.app_context():  # the cases and all that refers to them (the officers' openings)
        RetentionSql._remove_cases([case["id"] for case in cases])
        db.session.execute(sa.delete(Person).where(Person.id == person_id))
        db.session.commit()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_pages_of_a_long_inbox_pass_axe_and_fit_a_phone(
    app: Flask, page: Page, many_waiting: None, language: str
) -> None:
    audit = Audit(page)
    page.goto(f"/officer/login?lang={language}")
    page.locator(f"#agency-{AGENCY} ~ ul button[type=submit]").last.click()  # the supervisor
    expect(page).to_have_url(re.compile(r"/officer"))
    page.goto(f"/officer?queue=waiting&lang={language}")
    # Each opening is a line of the audit trail: fetched whole with the page's session, not
    # navigated (a navigation cut short leaves the favicon's file to the garbage collector).
    for href in page.locator("tr[data-step] a").evaluate_all("(as) => as.map(a => a.href)")[:30]:
        assert page.request.get(href).ok
    for width in (1024, WIDTH):
        page.set_viewport_size({"width": width, "height": 800})
        for url, name in (
            (f"/officer?queue=waiting&page=2&lang={language}", "inbox page 2"),
            (f"/officer/audit?lang={language}", "audit trail"),
        ):
            page.goto(url)
            if name == "inbox page 2":
                expect(page.locator("nav.govuk-pagination")).to_be_visible()
            else:  # the openings are there to lay out
                assert page.locator("tr[data-action]").count() >= 20  # a page of them
            audit.check(f"{name} at {width} px")
            scrolled = page.evaluate("document.documentElement.scrollWidth")
            assert scrolled <= width, (name, width, scrolled)
    assert not audit.problems, "\n".join(audit.problems)

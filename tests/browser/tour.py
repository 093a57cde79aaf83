"""A tour of every page, error states included, calling `check(name)` on each: the pages
a citizen sees and the pages a case officer sees. The accessibility and the phone tests
both take it, so a page added here is checked by both."""

from __future__ import annotations

import re
import smtplib
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from typing import Any

from flask import Flask
from playwright.sync_api import Page, expect

from contactpoint.notifications.devmail import caught_file
from contactpoint.platform.embedded_mail import EmbeddedSmtp
from tests.conftest import wait_until

from .conftest import forget_drafts
from .steps import ANNA, continue_button, fill_in, log_in, start_journey

Check = Callable[[str], None]
# Pages about the service itself, linked from every page's footer.
SERVICE_PAGES = ("accessibility", "privacy", "cookies", "contact", "statistics")


def _settled(page: Page, check: Check) -> Check:
    """`check`, once the page a click led to has loaded."""

    def settled(name: str) -> None:
        page.wait_for_load_state()
        expect(page.locator("main h1").first).to_be_visible()
        check(name)

    return settled


def example_answers(page: Page, event_id: str = "moving") -> dict[str, Any]:
    """A life event's example answers from the open API."""
    answers: dict[str, Any] = page.request.get(f"/api/v1/life-events/{event_id}").json()[
        "example_answers"
    ]
    return answers


def citizen_tour(app: Flask, page: Page, language: str, check: Check) -> None:
    """Every page a citizen sees, signed out and signed in, through a whole journey."""
    check = _settled(page, check)
    forget_drafts(app, ANNA)
    page.goto(f"/?lang={language}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    check("start page")
    events = page.locator("main a[href^='/life-events/']")
    starts = [str(events.nth(i).get_attribute("href")) for i in range(events.count())]
    for href in starts:
        page.goto(href)
        check(f"life event start {href}")
    for name in SERVICE_PAGES:
        link = page.locator(f"footer a[data-page='{name}']")
        if link.count():
            link.click()
            check(f"about the service: {name}")
    page.goto("/no-such-page")
    check("page not found")
    if "devmail.index" in app.view_functions:
        with mail_caught(app):
            page.goto("/dev-mail")
            expect(page.locator("[data-mail]")).to_have_count(1)
            check("e-mail caught in development")

    page.goto("/login")
    check("log in")
    page.locator("#personal_number").fill("1234")
    page.locator("main form").first.locator("[type=submit]").first.click()  # not "Cancel"
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check("log in, error")
    log_in(page)
    check("my pages")

    for href in starts:  # each life event's first page of questions
        page.goto(href)
        page.locator("main form[method=post] [type=submit]").click()
        check(f"first question {page.url}")
    forget_drafts(app, ANNA)

    start_journey(page)
    continue_button(page).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check("question, error")
    answers = example_answers(page)
    for _ in range(30):
        if re.search(r"/check$", page.url):
            break
        check(f"question {page.url.rsplit('/', 1)[-1]}")
        fill_in(page, answers)
        continue_button(page).click()
    expect(page).to_have_url(re.compile(r"/check$"))
    check("check your answers")
    continue_button(page).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check("check your answers, no consent")
    page.locator("#consent").check()
    continue_button(page).click()
    expect(page).to_have_url(re.compile(r"/my-pages/cases/"))
    check("confirmation")
    page.goto(page.url.split("?")[0])
    check("case page")
    case_url = page.url
    page.goto("/my-pages")
    check("my pages with a case")
    read_by_the_agency(page, case_url.rsplit("/", 1)[-1])
    if "corrections.answers" in app.view_functions:
        correct_an_answer(page, case_url, check)
    for endpoint, path, name in (
        ("data.shares", "/my-pages/data-shares", "who has my data"),
        ("case_actions.withdraw", f"{case_url}/withdraw", "withdraw a case"),
        ("feedback.give", f"{case_url}/feedback", "feedback"),
        ("companies.index", "/my-pages/companies", "companies one acts for: none"),
        ("companies.show", "/my-pages/companies/556612-3450", "a company one may not act for"),
    ):
        if endpoint in app.view_functions:
            page.goto(path)
            if endpoint == "data.shares":
                expect(page.locator("tr[data-kind='view']").first).to_be_visible()
            check(name)
    if "feedback.read" in app.view_functions:
        give_feedback(page, case_url.rsplit("/", 1)[-1])
        with administrator(app, ANNA):
            page.goto("/admin/feedback")
            expect(page.locator("main tbody tr a").first).to_be_visible()
            check("feedback, as an administrator reads it")
    menu = page.locator(".govuk-service-navigation__toggle")
    if menu.is_visible():  # a narrow screen folds the header's links into the menu
        menu.click()
    page.locator("header form [type=submit]").click()  # "Logga ut" / "Sign out"
    expect(page).to_have_url(re.compile(r"/signed-out\b"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    check("signed out")


@contextmanager
def mail_caught(app: Flask) -> Iterator[None]:
    """While the block runs, /dev-mail lists one e-mail, caught by an SMTP server of its own
    (the one `contactpoint run` starts): a verification with its long link, as sent."""
    saved = app.instance_path
    with tempfile.TemporaryDirectory() as directory:
        catching = caught_file(directory)
        catching.parent.mkdir()
        server = EmbeddedSmtp(catching).start()
        try:
            mail = EmailMessage()
            mail["From"], mail["To"] = "kontaktpunkt@example.se", "anna@example.se"
            mail["Subject"] = "Bekräfta din e-postadress / Confirm your e-mail address"
            link = f"http://127.0.0.1/my-pages/contact/verify/{'x' * 120}"
            mail.set_content(f"Öppna länken för att bekräfta adressen: {link}")
            with smtplib.SMTP("127.0.0.1", server.port) as smtp:
                smtp.send_message(mail)
        finally:
            server.stop()
        app.instance_path = directory
        try:
            yield
        finally:
            app.instance_path = saved


def give_feedback(page: Page, case_id: str) -> None:
    """Feedback on the case through the API, so that the administrators' page has a row."""
    token = page.request.post("/api/v1/dev/eid/token", data={"personal_number": ANNA})
    given = page.request.post(
        f"/api/v1/cases/{case_id}/feedback",
        data={"ease": 4},
        headers={"Authorization": f"Bearer {token.json()['access_token']}"},
    )
    assert given.status == 201, given.text()


@contextmanager
def administrator(app: Flask, personal_number: str) -> Iterator[None]:
    """The person one of the administrators while the block runs."""
    saved = app.config["ADMINS"]
    app.config["ADMINS"] = [*saved, personal_number]
    try:
        yield
    finally:
        app.config["ADMINS"] = saved


def correct_an_answer(page: Page, case_url: str, check: Check) -> None:
    """The correction's form, with an error, its check page, without consent."""
    page.goto(f"{case_url}/correct")
    check("correct your answers")
    send = page.locator("main form[method=post] button[type=submit]")
    page.locator("#new_postal_code").fill("abc")
    send.click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check("correct your answers, error")
    page.locator("#new_postal_code").fill("753 21")
    send.click()
    expect(page).to_have_url(re.compile(r"/correct$"))
    expect(page.locator("#consent")).to_be_visible()
    check("check your correction")
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check("check your correction, no consent")


def read_by_the_agency(page: Page, case_id: str) -> None:
    """A step of the case read twice by its agency's system, so that "Who has my data" has a
    read at an agency to show, with its count."""
    token = page.request.post("/api/v1/dev/eid/token", data={"personal_number": ANNA})
    citizen = {"Authorization": f"Bearer {token.json()['access_token']}"}
    step = page.request.get(f"/api/v1/cases/{case_id}", headers=citizen).json()["steps"][0]
    agency = page.request.post("/api/v1/dev/agency/token", data={"agency": step["agency"]})
    system = {"Authorization": f"Bearer {agency.json()['access_token']}"}
    for _ in range(2):
        read = page.request.get(
            f"/api/v1/agencies/{step['agency']}/steps/{step['id']}", headers=system
        )
        assert read.status == 200, read.text()


def officer_tour(app: Flask, page: Page, language: str, check: Check) -> None:
    """Every page a case officer sees: log in, each queue, a step to decide, the audit trail."""
    check = _settled(page, check)
    token = page.request.post("/api/v1/dev/eid/token", data={"personal_number": ANNA})
    answers = {**example_answers(page), "housing_allowance": True}
    created = page.request.post(
        "/api/v1/cases",
        data={"life_event": "moving", "answers": answers, "consent": True},
        headers={"Authorization": f"Bearer {token.json()['access_token']}"},
    )
    assert created.status == 201, created.text()
    reference = created.json()["reference"]
    page.goto(f"/officer/login?lang={language}")
    check("officer log in")
    # the supervisor (listed last) sees all an officer sees, and the audit trail besides
    page.locator("#agency-forsakringskassan ~ ul button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/officer"))
    check("inbox")
    tabs = page.locator("main nav a[href*='queue=']")
    for href in [str(tabs.nth(i).get_attribute("href")) for i in range(tabs.count())]:
        page.goto(href)
        check(f"inbox {href}")
    page.goto("/officer")
    page.locator("#reference").fill(reference)
    page.locator("form.kp-filters [type=submit]").click()
    link = page.locator("tr[data-step] a").first

    def listed() -> bool:
        if link.count():
            return True
        page.reload()  # the step reaches the agency's inbox once the worker has sent it
        return False

    wait_until(listed, timeout_s=60, interval_s=0.5)
    link.click()
    expect(page).to_have_url(re.compile(r"/officer/steps/"))
    check("step")
    page.locator("form[action$='/decision'] [type=submit]").click()
    check("step, decision missing")
    if "officer_audit.trail" in app.view_functions:
        page.goto("/officer/audit")
        expect(page.locator("h1")).to_have_count(1)
        check("audit trail")

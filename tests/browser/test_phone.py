"""On a narrow phone (320 CSS pixels, WCAG 2.1 1.4.10 Reflow) no page scrolls sideways: every
page of the tour (tour.py), the citizen's and the case officer's, in both languages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from tests.conftest import wait_until

from .steps import log_in
from .test_form_errors import ERIK, bearer, step_of
from .tour import citizen_tour, officer_tour

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

WIDTH = 320
WIDER_THAN_THE_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 1)
    .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : ''))
    .slice(0, 5);
}"""


class Reflow:
    """Measures each page visited: how wide it is, and what sticks out if it is too wide."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.checked: list[str] = []
        self.wide: list[str] = []

    def check(self, name: str) -> None:
        """The page as it is now needs no sideways scrolling."""
        self.checked.append(name)
        width = self.page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            culprits = self.page.evaluate(WIDER_THAN_THE_SCREEN)
            self.wide.append(f"{name} ({self.page.url}): {width}px, {culprits}")


@pytest.fixture()
def phone(app: Flask, browser: Browser) -> Iterator[Page]:
    """A page in a phone's narrow viewport."""
    context = browser.new_context(
        base_url=app.config["LIVE_SERVER_URL"], viewport={"width": WIDTH, "height": 640}
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_citizen_page_fits_a_narrow_phone(app: Flask, phone: Page, language: str) -> None:
    reflow = Reflow(phone)
    citizen_tour(app, phone, language, reflow.check)
    assert len(reflow.checked) >= 12
    assert not reflow.wide, "\n".join(reflow.wide)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_case_officer_page_fits_a_narrow_phone(
    app: Flask, phone: Page, language: str
) -> None:
    if "officer_step.decide" not in app.view_functions:
        pytest.skip("the case officers' pages are not part of the app")
    reflow = Reflow(phone)
    officer_tour(app, phone, language, reflow.check)
    assert not reflow.wide, "\n".join(reflow.wide)


def test_the_menu_opens_on_a_narrow_phone(phone: Page) -> None:
    phone.goto("/life-events/moving?lang=en")
    phone.locator(".govuk-service-navigation__toggle").click()
    expect(phone.get_by_role("link", name="Svenska")).to_be_visible()


def test_a_case_with_steps_waiting_fits_a_narrow_phone(app: Flask, phone: Page) -> None:
    api = phone.request
    erik = bearer(api, "/api/v1/dev/eid/token", {"personal_number": ERIK})
    answers = api.get("/api/v1/life-events/moving").json()["example_answers"]
    created = api.post(
        "/api/v1/cases",
        data={"life_event": "moving", "answers": answers, "consent": True},
        headers=erik,
    )
    case_id = created.json()["id"]
    wait_until(lambda: step_of(api, erik, case_id)["status"] == "waiting", timeout_s=60)
    reflow = Reflow(phone)
    log_in(phone, ERIK)
    for language in ("sv", "en"):
        phone.goto(f"/my-pages/cases/{case_id}?lang={language}")
        reflow.check(f"a step with the agency ({language})")
    agency = bearer(api, "/api/v1/dev/agency/token", {"agency": "forsakringskassan"})
    step_id = step_of(api, erik, case_id)["id"]
    api.post(
        f"/api/v1/agencies/forsakringskassan/steps/{step_id}/decision",
        data={"decision": "complement", "question": "Hur hög är hyran i din nya bostad?"},
        headers=agency,
    )
    wait_until(lambda: step_of(api, erik, case_id)["ball"] == "citizen", timeout_s=60)
    for language in ("sv", "en"):
        phone.goto(f"/my-pages/cases/{case_id}?lang={language}")
        reflow.check(f"a step asking the citizen ({language})")
        phone.goto(f"/my-pages?lang={language}")
        reflow.check(f"my pages with a case asking ({language})")
    assert not reflow.wide, "\n".join(reflow.wide)

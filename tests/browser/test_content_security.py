"""The Content-Security-Policy refuses nothing the pages do: no violation on any page of the
tour (the simulated provider's sign-in pages included), nor in Swagger UI trying an operation;
and a script the policy does not allow is caught, so that the silence means something."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, expect

from .tour import citizen_tour, officer_tour

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

# Each violation said on the console, where the listener below and Chromium both say it.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
});
"""
SAID_BY_POLICIES = ("CSP violation", "Content Security Policy", "Permissions-Policy")


class Violations:
    """What the browser said about the policies, page by page."""

    def __init__(self, context: BrowserContext, page: Page) -> None:
        context.add_init_script(REPORT_VIOLATIONS)
        self.page = page
        self.pages: list[str] = []
        self.said: list[str] = []
        page.on("console", self._heard)

    def _heard(self, message: ConsoleMessage) -> None:
        if any(words in message.text for words in SAID_BY_POLICIES):
            self.said.append(f"{self.page.url}: {message.text}")

    def check(self, name: str) -> None:
        """The page as it is now ran its scripts: GOV.UK Frontend's inline one among them."""
        self.pages.append(name)
        expect(self.page.locator("body")).to_have_class(
            "govuk-template__body js-enabled govuk-frontend-supported"
        )


def test_no_page_of_the_tour_violates_the_policy(
    app: Flask, context: BrowserContext, page: Page
) -> None:
    violations = Violations(context, page)
    citizen_tour(app, page, "sv", violations.check)
    officer_tour(app, page, "sv", violations.check)
    assert len(violations.pages) >= 20
    assert not violations.said, "\n".join(violations.said)


def test_swagger_ui_tries_an_operation_without_violating_the_policy(
    context: BrowserContext, page: Page
) -> None:
    violations = Violations(context, page)
    page.goto("/api/v1/docs")
    operation = page.locator(
        ".opblock-get:has(.opblock-summary-path[data-path='/api/v1/life-events'])"
    )
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    answered = operation.locator(".live-responses-table tr.response")
    expect(answered.locator(".response-col_status")).to_have_text("200")
    expect(answered.locator(".highlight-code")).to_contain_text("moving")
    assert not violations.said, "\n".join(violations.said)


def test_a_script_the_policy_does_not_allow_is_caught(context: BrowserContext, page: Page) -> None:
    Violations(context, page)
    page.goto("/")
    with page.expect_console_message(lambda said: "CSP violation: script-src" in said.text):
        page.evaluate(
            """() => {
              const script = document.createElement("script");
              script.textContent = "document.title = 'injected';";
              document.body.append(script);
            }"""
        )
    expect(page).not_to_have_title("injected")

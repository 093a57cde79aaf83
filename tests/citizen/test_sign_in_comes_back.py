"""A sign-in comes back to where the person was going, also when that was a form's button,
and whether the person typed a number or pressed a quick "Logga in som" button."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.helpers.pages import csrf, forget_drafts, sign_in_through_provider

JOHAN = "19700101-6356"
SIGN_OUTS = {"login.logout", "officer_login.logout"}  # a signed-out person may sign out


class QuickButtons(HTMLParser):
    """The provider page's forms as a browser reads them: each one's action, its hidden
    fields and the text of its button."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, object]] = []
        self._in_button = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form":
            self.forms.append({"action": found.get("action") or "", "fields": {}, "button": ""})
        elif tag == "input" and found.get("type") == "hidden" and self.forms:
            fields = self.forms[-1]["fields"]
            assert isinstance(fields, dict)
            fields[found["name"]] = found.get("value") or ""
        self._in_button = self._in_button or tag == "button"

    def handle_endtag(self, tag: str) -> None:
        self._in_button = self._in_button and tag != "button"

    def handle_data(self, data: str) -> None:
        if self._in_button and self.forms:
            self.forms[-1]["button"] = f"{self.forms[-1]['button']}{data}".strip()


def press_quick_button(client: FlaskClient, start: str, label: str) -> TestResponse:
    """What a browser does for a person who presses one of the provider page's "Logga in som
    …" buttons: send that button's form (an empty action: the page's own address, its query
    with it), then follow the provider's redirect back to the app."""
    authorize = client.get(start).headers["Location"]
    buttons = QuickButtons()
    buttons.feed(client.get(authorize).get_data(as_text=True))
    (form,) = [form for form in buttons.forms if form["button"] == label]
    fields = form["fields"]
    assert isinstance(fields, dict) and "csrf_token" in fields
    chosen = client.post(urljoin(authorize, str(form["action"])), data=fields)
    assert chosen.status_code == 302, chosen.get_data(as_text=True)
    return client.get(chosen.headers["Location"])


def typed_in(client: FlaskClient, login_url: str) -> TestResponse:
    """Johan types his personal identity number on the provider's page."""
    return sign_in_through_provider(client, login_url, {"personal_number": JOHAN})


def quick_button(client: FlaskClient, login_url: str) -> TestResponse:
    """Johan presses his "Logga in som" button on the provider's page."""
    return press_quick_button(client, login_url, "Logga in som Johan Nilsson")


@pytest.mark.parametrize("sign_in", [typed_in, quick_button])
def test_start_now_signed_out_leads_through_the_login_to_the_journey(
    app: Flask, client: FlaskClient, sign_in: Callable[[FlaskClient, str], TestResponse]
) -> None:
    forget_drafts(app, JOHAN)
    start = client.get("/life-events/moving").get_data(as_text=True)
    response = client.post("/life-events/moving/begin", data={"csrf_token": csrf(start)})
    login_url = response.headers["Location"]
    assert response.status_code == 302 and "/login" in login_url

    signed_in = sign_in(client, login_url)
    back = signed_in.headers["Location"]
    assert signed_in.status_code == 302 and "/life-events/moving/begin" in back

    journey = client.get(back)
    assert journey.status_code == 302, journey.status
    assert journey.headers["Location"].endswith("/life-events/moving/questions/move_date")
    assert client.get(journey.headers["Location"]).status_code == 200
    profile = client.get("/my-pages/export").json["profile"]
    assert profile["personal_number"] == JOHAN  # signed in as the one chosen


def test_every_form_action_of_the_pages_answers_a_get(app: Flask) -> None:
    rules = [r for r in app.url_map.iter_rules() if not r.rule.startswith(("/api/", "/dev-idp"))]
    answers_get = {rule.rule for rule in rules if "GET" in (rule.methods or set())}
    post_only = [
        rule.rule
        for rule in rules
        if "POST" in (rule.methods or set())
        and rule.rule not in answers_get
        and rule.endpoint not in SIGN_OUTS
    ]
    assert post_only == [], "a sign-in would come back to these with a GET, and get 405"


def test_a_form_action_fetched_after_signing_in_goes_to_the_page_of_the_form(
    client: FlaskClient,
) -> None:
    signed_out = client.get("/my-pages/cases/some-case/steps/some-step/complement")
    login_url = signed_out.headers["Location"]
    signed_in = sign_in_through_provider(client, login_url, {"personal_number": JOHAN})
    response = client.get(signed_in.headers["Location"])
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/my-pages/cases/some-case")

"""A sign-in comes back to where the person was going, also when that was a form's button."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.helpers.pages import csrf, forget_drafts, sign_in_through_provider

JOHAN = "19700101-6356"
SIGN_OUTS = {"login.logout", "officer_login.logout"}  # a signed-out person may sign out


def test_start_now_signed_out_leads_through_the_login_to_the_journey(
    app: Flask, client: FlaskClient
) -> None:
    forget_drafts(app, JOHAN)
    start = client.get("/life-events/moving").get_data(as_text=True)
    response = client.post("/life-events/moving/begin", data={"csrf_token": csrf(start)})
    login_url = response.headers["Location"]
    assert response.status_code == 302 and "/login" in login_url

    signed_in = sign_in_through_provider(client, login_url, {"personal_number": JOHAN})
    back = signed_in.headers["Location"]
    assert signed_in.status_code == 302 and "/life-events/moving/begin" in back

    journey = client.get(back)
    assert journey.status_code == 302, journey.status
    assert journey.headers["Location"].endswith("/life-events/moving/questions/move_date")
    assert client.get(journey.headers["Location"]).status_code == 200


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

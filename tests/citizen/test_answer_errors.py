"""Each answer error says what is wrong and how to put it right, in plain Swedish."""

from __future__ import annotations

import html as markup

from flask import Flask
from flask.testing import FlaskClient

from tests.helpers.pages import csrf, forget_drafts, login, post_page

JOHAN, KARIN = "19700101-6356", "19440225-3274"
ADDRESS = "/life-events/moving/questions/new_address"


def _begin(client: FlaskClient, event_id: str) -> str:
    start = client.get(f"/life-events/{event_id}?lang=sv").get_data(as_text=True)
    response = client.post(f"/life-events/{event_id}/begin", data={"csrf_token": csrf(start)})
    return str(response.headers["Location"])


def _errors(html: str) -> str:
    return markup.unescape(html.split('govuk-error-summary__list">')[1].split("</ul>")[0])


def test_a_long_street_a_short_postcode_each_say_how_to_put_it_right(
    app: Flask, client: FlaskClient
) -> None:
    forget_drafts(app, JOHAN)
    login(client, JOHAN)
    url = _begin(client, "moving")
    status, url, _ = post_page(client, url, {"move_date": "2026-12-20"})
    assert status == 302 and url.endswith(ADDRESS)
    typed = {"new_street": "x" * 5000, "new_postal_code": "7531", "new_municipality": "0380"}
    status, _, html = post_page(client, url, typed)
    errors = _errors(html)
    assert status == 422
    assert "Svaret får ha högst 100 tecken. Nu har det 5\u00a0000." in errors
    assert "Skriv fem siffror, som 753 11." in errors
    assert "Kontrollera" not in errors


def test_a_wrong_check_digit_is_told_apart_from_a_wrong_length(
    app: Flask, client: FlaskClient
) -> None:
    forget_drafts(app, KARIN)
    login(client, KARIN)
    url = _begin(client, "bereavement")
    status, _, html = post_page(client, url, {"deceased": "19410830-4133"})
    assert status == 422
    assert "Den sista siffran i personnumret stämmer inte med de andra" in _errors(html)
    status, _, html = post_page(client, url, {"deceased": "19410830-413"})
    assert status == 422 and "Skriv ett personnummer med 12 siffror" in _errors(html)
    status, _, html = post_page(client, url, {"deceased": "19411330-4132"})
    assert status == 422 and "Personnumret börjar med födelsedagen" in _errors(html)


def test_none_of_these_cannot_be_ticked_with_the_others(app: Flask, client: FlaskClient) -> None:
    forget_drafts(app, KARIN)
    login(client, KARIN)
    url = _begin(client, "bereavement")
    status, url, html = post_page(client, url, {"deceased": "19410830-4132"})
    assert status == 302, html
    assert url.endswith("/questions/received")  # the date of death is the register's
    page = client.get(url).get_data(as_text=True)
    assert 'value="nothing" data-behaviour="exclusive"' in page  # GOV.UK Frontend's behaviour
    assert '<div class="govuk-checkboxes__divider">eller</div>' in page
    status, _, html = post_page(client, url, {"received": ["nothing", "pension"]})
    assert status == 422
    assert "Välj antingen ”Inget av detta” eller ett eller flera av de andra" in _errors(html)
    status, _, _ = post_page(client, url, {"received": ["nothing"]})
    assert status == 302


def test_a_move_date_outside_its_window_says_which_dates_and_why(
    app: Flask, client: FlaskClient
) -> None:
    forget_drafts(app, JOHAN)
    login(client, JOHAN)
    url = _begin(client, "moving")
    status, _, html = post_page(client, url, {"move_date": "2030-05-01"})
    errors = _errors(html)
    assert status == 422
    assert "Välj ett datum från" in errors
    assert "senast en vecka efter att du har flyttat" in errors  # the rule, in plain Swedish
    assert 'value="2030-05-01"' in html  # what was typed stays

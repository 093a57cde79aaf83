"""The pages about the service (accessibility, personal data, cookies, contact), linked from
every page's footer in both languages; the phase banner; the icon; what the cookie page says."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.helpers.pages import csrf, login

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

PAGES = {
    "/accessibility": ("Tillgänglighet", "Accessibility of Kontaktpunkt"),
    "/privacy": ("Dina personuppgifter", "Your personal data"),
    "/cookies": ("Kakor", "Cookies"),
    "/contact": ("Kontakt", "Contact"),
}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_page_links_the_pages_about_the_service_and_says_it_is_a_test(
    client: FlaskClient, language: str
) -> None:
    for url in ("/", "/life-events/moving", "/login", "/officer/login", "/no-such-page"):
        # a sign-in page is the provider's: in development the simulated one, on our pages
        html = client.get(f"{url}?lang={language}", follow_redirects=True).get_data(as_text=True)
        footer = html.split('<footer class="govuk-footer">')[1]
        for page in PAGES:
            assert f'href="{page}"' in footer, (url, page)
        banner = html.split('class="govuk-phase-banner"')[1].split("</div>")[0]
        assert ">Test</strong>" in banner
        assert ("testtjänst" if language == "sv" else "test service") in banner
        assert 'rel="icon" href="/favicon.ico"' in html


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_pages_about_the_service_are_in_both_languages(
    app: Flask, client: FlaskClient, language: str
) -> None:
    for url, (swedish, english) in PAGES.items():
        response = client.get(f"{url}?lang={language}")
        assert response.status_code == 200, url
        heading = swedish if language == "sv" else english
        assert re.search(rf"<h1[^>]*>{heading}</h1>", response.get_data(as_text=True)), url
    privacy = client.get("/privacy?lang=sv").get_data(as_text=True)
    from workflows import runtime

    with app.app_context():
        retention = runtime.current().retention
    assert f"{retention.closed_case_days} dagar efter att det har avslutats" in privacy
    assert f"{retention.draft_days} dagar efter din senaste ändring" in privacy


def test_the_icon_is_served_from_this_server(client: FlaskClient) -> None:
    response = client.get("/favicon.ico")
    icon = response.data
    response.close()
    assert response.status_code == 200
    assert icon[:4] == b"\x00\x00\x01\x00"  # an ICO file
    svg = client.get("/static/favicon.svg")
    svg.close()
    assert svg.status_code == 200


def test_the_cookie_page_tells_the_truth_one_cookie_gone_when_the_browser_closes(
    app: Flask, client: FlaskClient
) -> None:
    """If this fails, the service sets another cookie or keeps one longer: update /cookies."""
    name = app.config["SESSION_COOKIE_NAME"]
    assert f"<code>{name}</code>" in client.get("/cookies?lang=en").get_data(as_text=True)
    set_cookies: list[str] = []
    page = client.get("/login?lang=sv")
    set_cookies += page.headers.getlist("Set-Cookie")
    login(client)
    mine = client.get("/my-pages")
    set_cookies += mine.headers.getlist("Set-Cookie")
    client.post("/logout", data={"csrf_token": csrf(mine.get_data(as_text=True))})
    assert set_cookies
    for cookie in set_cookies:
        assert cookie.startswith(f"{name}="), cookie
        lowered = cookie.lower()
        assert "expires=" not in lowered or "1970" in lowered, cookie  # removed only
        assert "max-age" not in lowered or "max-age=0" in lowered, cookie

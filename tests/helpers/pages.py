"""Using the pages as a browser without JavaScript does: the CSRF token, a login, a form sent;
and the drafts of journeys forgotten, so that the next journey starts afresh."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from contactpoint.db.models import Draft, Person
from contactpoint.extensions import db


def csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the form carries a CSRF token"
    return match.group(1)


def sign_in_through_provider(
    client: FlaskClient, start: str, choice: dict[str, str]
) -> TestResponse:
    """Follow a sign-in as a browser does: the app sends the browser to the simulated
    provider, the person chooses on its page, and the provider sends the code back to the app.
    Returns the app's answer to that code (a redirect when signed in)."""
    to_provider = client.get(start)
    assert to_provider.status_code == 302, to_provider.get_data(as_text=True)
    authorize = to_provider.headers["Location"]
    page = client.get(authorize).get_data(as_text=True)
    chosen = client.post(authorize, data={"csrf_token": csrf(page), **choice})
    assert chosen.status_code == 302, chosen.get_data(as_text=True)
    return client.get(chosen.headers["Location"])


def login(client: FlaskClient, personal_number: str = "19850312-2387") -> None:
    """Sign a citizen in through the simulated eID provider."""
    signed_in = sign_in_through_provider(client, "/login", {"personal_number": personal_number})
    assert signed_in.status_code == 302, signed_in.get_data(as_text=True)


def post_page(client: FlaskClient, url: str, data: dict[str, object]) -> tuple[int, str, str]:
    page = client.get(url).get_data(as_text=True)
    response = client.post(url, data={"csrf_token": csrf(page), **data})
    return (
        response.status_code,
        response.headers.get("Location", ""),
        response.get_data(as_text=True),
    )


def forget_drafts(app: Flask, *personal_numbers: str) -> None:
    """Remove these people's unsent journeys: a journey begun later starts on its first page."""
    with app.app_context():
        people = sa.select(Person.id).where(Person.personal_number.in_(personal_numbers))
        db.session.execute(sa.delete(Draft).where(Draft.person_id.in_(people)))
        db.session.commit()


def send_checked(client: FlaskClient, event_id: str, check: str) -> str:
    """Consent and send on the life event's check page (its HTML given); the new case's id."""
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', check)
    assert digest
    sent = client.post(
        f"/life-events/{event_id}/check",
        data={"csrf_token": csrf(check), "consent": "yes", "digest": digest.group(1)},
    )
    assert sent.status_code == 302 and "/my-pages/cases/" in sent.headers["Location"]
    return str(sent.headers["Location"].split("/my-pages/cases/")[1].split("?")[0])


def page_choice(value: object, html: str = "") -> object:
    """An answer naming people (as the API or the examples give it) as the page's form sends
    it: each person by the key the page offers them under (relation, year of birth, count).
    A personal identity number is turned into a child's key only where the page offers one."""
    if isinstance(value, list):
        return [page_choice(item, html) for item in value]
    if isinstance(value, dict) and "relation" in value:
        return f"{value['relation']}-{value['born']}-1"
    if isinstance(value, str) and re.fullmatch(r"\d{8}-\d{4}", value):
        key = f"child-{value[:4]}-1"
        return key if f'value="{key}"' in html else value
    return value

"""Using the pages as a browser without JavaScript does: the CSRF token, a login, a form sent."""

from __future__ import annotations

import re

from flask.testing import FlaskClient


def csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the form carries a CSRF token"
    return match.group(1)


def login(client: FlaskClient, personal_number: str = "19850312-2387") -> None:
    page = client.get("/login").get_data(as_text=True)
    response = client.post(
        "/login", data={"csrf_token": csrf(page), "personal_number": personal_number}
    )
    assert response.status_code == 302


def post_page(client: FlaskClient, url: str, data: dict[str, object]) -> tuple[int, str, str]:
    page = client.get(url).get_data(as_text=True)
    response = client.post(url, data={"csrf_token": csrf(page), **data})
    return (
        response.status_code,
        response.headers.get("Location", ""),
        response.get_data(as_text=True),
    )

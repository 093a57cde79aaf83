"""Signing in through the simulated provider with the authorization code flow, as through a
real one: citizens and officers, where they were going, sign-out here and at the provider; and
every way a sign-in can go wrong ends on a page that says so, with no session."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from contactpoint.devidp import issue
from contactpoint.platform.embedded import free_port
from tests.conftest import ANNA
from tests.helpers.issuer import TestIssuer
from tests.helpers.pages import csrf, login, sign_in_through_provider

UNKNOWN = "19121212-1212"  # a valid personal identity number of no one here


def _session(client: FlaskClient) -> dict[str, Any]:
    with client.session_transaction() as held:
        return dict(held)


def _signed_in(client: FlaskClient) -> bool:
    held = _session(client)
    return "person_id" in held or "officer" in held


def _to_the_code(client: FlaskClient, start: str, choice: dict[str, str]) -> str:
    """Start a sign-in and choose at the provider; the callback URL it sends back (not yet
    visited), in English."""
    client.get("/?lang=en")
    authorize = client.get(start).headers["Location"]
    page = client.get(authorize).get_data(as_text=True)
    return str(
        client.post(authorize, data={"csrf_token": csrf(page), **choice}).headers["Location"]
    )


def test_the_authorization_request_carries_pkce_state_and_nonce(client: FlaskClient) -> None:
    response = client.get("/login")
    location = urlsplit(response.headers["Location"])
    query = parse_qs(location.query)
    assert location.path == "/dev-idp/authorize" and query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0] and "openid" in query["scope"][0].split()
    assert query["redirect_uri"] == ["http://localhost/login/callback"]


def test_a_citizen_signs_in_and_lands_where_they_were_going(client: FlaskClient) -> None:
    before = client.get("/my-pages/data-shares")
    assert before.status_code == 302 and "next=" in before.headers["Location"]
    landed = sign_in_through_provider(
        client, before.headers["Location"], {"personal_number": "198503122387"}
    )
    assert landed.status_code == 302 and landed.headers["Location"] == "/my-pages/data-shares"
    assert _signed_in(client)
    assert client.get("/my-pages/data-shares").status_code == 200


def test_sign_in_gives_a_new_session(client: FlaskClient) -> None:
    with client.session_transaction() as held:
        held["planted"] = "by someone else"  # a session fixed before sign-in
    login(client, ANNA)
    assert "planted" not in _session(client)


def test_an_officer_signs_in_with_agency_and_role_from_the_claims(client: FlaskClient) -> None:
    landed = sign_in_through_provider(client, "/officer/login", {"officer": "csn-s"})
    assert landed.status_code == 302 and landed.headers["Location"] == "/officer"
    officer = _session(client)["officer"]
    assert (officer["agency"], officer["role"], officer["id"]) == ("csn", "supervisor", "csn-s")


def test_sign_out_ends_the_session_here_and_at_the_provider(client: FlaskClient) -> None:
    login(client, ANNA)
    page = client.get("/my-pages").get_data(as_text=True)
    out = client.post("/logout", data={"csrf_token": csrf(page)})
    assert not _signed_in(client)
    at_provider = urlsplit(out.headers["Location"])
    query = parse_qs(at_provider.query)
    assert at_provider.path == "/dev-idp/logout" and query["client_id"] == ["kontaktpunkt"]
    assert "id_token_hint" not in query  # the ID token holds the personal number: not in a URL
    back = client.get(out.headers["Location"])
    assert back.headers["Location"].startswith("http://localhost/signed-out?state=")
    signed_out = client.get(back.headers["Location"]).get_data(as_text=True)
    assert "Du har loggat ut" in signed_out
    assert client.get("/my-pages").status_code == 302


def _failed(client: FlaskClient, response: Any, status: int, text: str) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    assert text in response.get_data(as_text=True)
    assert not _signed_in(client)
    assert client.get("/my-pages").status_code == 302


def test_a_wrong_state_ends_without_a_session(client: FlaskClient) -> None:
    callback = _to_the_code(client, "/login", {"personal_number": ANNA})
    wrong = callback.replace("state=", "state=x")
    _failed(client, client.get(wrong), 400, "The sign-in could not be completed")


def test_a_replayed_code_ends_without_a_session(client: FlaskClient) -> None:
    callback = _to_the_code(client, "/login", {"personal_number": ANNA})
    waiting = _session(client)  # the state, nonce and verifier of this sign-in
    assert client.get(callback).status_code == 302
    with client.session_transaction() as held:
        held.clear()
        held.update(waiting)  # the same sign-in once more, with a code already used
    _failed(client, client.get(callback), 400, "The sign-in could not be completed")


def test_a_wrong_nonce_ends_without_a_session(client: FlaskClient) -> None:
    callback = _to_the_code(client, "/login", {"personal_number": ANNA})
    with client.session_transaction() as held:
        for key, value in held.items():
            if key.startswith("_state_"):
                value["data"]["nonce"] = "another-nonce"
                held[key] = value
    _failed(client, client.get(callback), 400, "The sign-in could not be completed")


def test_a_cancelled_sign_in_ends_without_a_session(client: FlaskClient) -> None:
    callback = _to_the_code(client, "/login", {"cancel": "1"})
    assert "error=access_denied" in callback
    _failed(client, client.get(callback), 400, "You stopped the sign-in")


def test_an_unknown_person_ends_without_a_session(client: FlaskClient) -> None:
    callback = _to_the_code(client, "/login", {"personal_number": UNKNOWN})
    _failed(client, client.get(callback), 403, "We could not find anyone")


def test_a_missing_personal_number_claim_ends_without_a_session(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    claims = issue.citizen_claims

    def without_number(number: str) -> dict[str, Any]:
        found = claims(number)
        return {k: v for k, v in found.items() if not k.endswith("personalIdentityNumber")}

    monkeypatch.setattr(issue, "citizen_claims", without_number)
    callback = _to_the_code(client, "/login", {"personal_number": ANNA})
    _failed(client, client.get(callback), 403, "did not tell us your personal identity number")


def test_an_officer_without_a_known_role_gets_no_session(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    claims = issue.officer_claims
    monkeypatch.setattr(issue, "officer_claims", lambda o: {**(claims(o) or {}), "role": "admin"})
    callback = _to_the_code(client, "/officer/login", {"officer": "csn-1"})
    response = client.get(callback)
    assert response.status_code == 403 and "does not give you access" in response.get_data(
        as_text=True
    )
    assert not _signed_in(client)


@pytest.mark.parametrize("answers", ["nothing", "garbage"])
def test_a_provider_down_or_answering_garbage_says_sign_in_is_unavailable(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch, answers: str
) -> None:
    with TestIssuer() as issuer:
        issuer.garbage = True
        url = issuer.url if answers == "garbage" else f"http://127.0.0.1:{free_port()}"
        monkeypatch.setitem(app.config, "OIDC_ISSUER", url)
        response = client.get("/login?lang=en")
    assert response.status_code == 503 and int(response.headers["Retry-After"]) > 0
    assert "Sign-in is unavailable just now" in response.get_data(as_text=True)
    assert not _signed_in(client)


def test_no_personal_number_or_code_is_logged(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    callback = _to_the_code(client, "/login", {"personal_number": ANNA})
    client.get(callback)
    client.get(_to_the_code(client, "/login", {"personal_number": UNKNOWN}))
    code = parse_qs(urlsplit(callback).query)["code"][0]
    for secret in (ANNA, ANNA.replace("-", ""), UNKNOWN.replace("-", ""), code):
        assert secret not in caplog.text

"""The API's bearer access tokens: JWTs from the configured providers are accepted; a missing,
tampered, expired, wrong-audience or wrong-issuer one is a 401 that says which, never a 500."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from agencies import clock
from contactpoint.auth import providers
from contactpoint.devidp import issue, keys
from tests.conftest import ANNA, token_for
from tests.helpers.issuer import TestIssuer
from tests.helpers.officer import agency_headers

ERIK = "198707154574"


def _claims(token: str) -> dict[str, object]:
    payload = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture()
def other_issuer() -> Iterator[TestIssuer]:
    with TestIssuer() as issuer:
        yield issuer


def _refused(client: FlaskClient, headers: dict[str, str], reason: str, path: str) -> None:
    response = client.get(path, headers=headers)
    assert response.status_code == 401, response.json
    assert response.json["errors"] == {"token": [reason]}
    assert response.json["message"] and response.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_development_endpoints_issue_jwts_of_the_simulated_provider(
    client: FlaskClient,
) -> None:
    token = token_for(client, ANNA)["Authorization"].removeprefix("Bearer ")
    claims = _claims(token)
    assert claims["iss"] == "http://localhost/dev-idp" and claims["aud"] == "kontaktpunkt-api"
    assert client.get("/api/v1/cases", headers=_bearer(token)).status_code == 200
    agency = agency_headers(client, "skatteverket")
    assert client.get("/api/v1/agencies/skatteverket/steps", headers=agency).status_code == 200


def test_tokens_of_another_configured_provider_are_accepted(
    app: Flask, client: FlaskClient, other_issuer: TestIssuer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "OIDC_ISSUER", other_issuer.url)
    monkeypatch.setitem(app.config, "OIDC_AGENCY_ISSUER", other_issuer.url)
    citizen = _bearer(other_issuer.citizen_token(ANNA))
    assert client.get("/api/v1/cases", headers=citizen).status_code == 200
    system = other_issuer.token(sub="csn-system", client_id="csn-system", agency="csn")
    assert client.get("/api/v1/agencies/csn/steps", headers=_bearer(system)).status_code == 200
    # The simulated provider is no longer the configured one: its tokens name another issuer
    _refused(client, token_for(client, ANNA), "wrong_issuer", "/api/v1/cases")


def test_a_rotated_key_is_fetched_when_a_token_names_it(
    app: Flask, client: FlaskClient, other_issuer: TestIssuer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "OIDC_ISSUER", other_issuer.url)
    monkeypatch.setattr(providers, "REFRESH_AT_MOST_EVERY_S", 0)
    assert (
        client.get("/api/v1/cases", headers=_bearer(other_issuer.citizen_token(ANNA))).status_code
        == 200
    )
    other_issuer.key = other_issuer.new_key()
    assert (
        client.get("/api/v1/cases", headers=_bearer(other_issuer.citizen_token(ANNA))).status_code
        == 200
    )


def test_a_missing_or_malformed_token_is_401(client: FlaskClient) -> None:
    _refused(client, {}, "missing", "/api/v1/cases")
    _refused(client, _bearer("not-a-jwt"), "malformed", "/api/v1/cases")
    _refused(client, {}, "missing", "/api/v1/agencies/csn/steps")


def test_a_tampered_token_is_401(client: FlaskClient, other_issuer: TestIssuer) -> None:
    header, payload, signature = token_for(client, ANNA)["Authorization"][7:].split(".")
    claims = _claims(f"{header}.{payload}.{signature}")
    claims["https://id.oidc.se/claim/personalIdentityNumber"] = ERIK  # someone else's cases
    changed = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    _refused(client, _bearer(f"{header}.{changed}.{signature}"), "tampered", "/api/v1/cases")
    # Signed by a key the provider never published, though it names the provider as issuer
    forged = other_issuer.citizen_token(ANNA, iss="http://localhost/dev-idp")
    _refused(client, _bearer(forged), "tampered", "/api/v1/cases")


def test_an_expired_token_is_401(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    two_hours_ago = clock.now() - dt.timedelta(hours=2)
    with app.test_request_context(), monkeypatch.context() as moved:
        moved.setattr(clock, "now", lambda: two_hours_ago)
        token = issue.citizen_access_token(ANNA)
    _refused(client, _bearer(token), "expired", "/api/v1/cases")


def test_a_token_for_another_audience_is_401(app: Flask, client: FlaskClient) -> None:
    with app.test_request_context():
        token = issue.access_token("someone", issue.citizen_claims(ANNA), "openid")
        claims = {**_claims(token), "aud": "another-api"}
        other = keys.sign(claims, kind="at+jwt")
    assert client.get("/api/v1/cases", headers=_bearer(token)).status_code == 200
    _refused(client, _bearer(other), "wrong_audience", "/api/v1/cases")


def test_a_token_of_an_issuer_not_configured_is_401(
    client: FlaskClient, other_issuer: TestIssuer
) -> None:
    _refused(client, _bearer(other_issuer.citizen_token(ANNA)), "wrong_issuer", "/api/v1/cases")


def test_a_citizen_token_is_no_agency_token_and_an_officer_is_no_system(
    app: Flask, client: FlaskClient
) -> None:
    _refused(client, token_for(client, ANNA), "wrong_kind", "/api/v1/agencies/csn/steps")
    with app.test_request_context():
        officer = issue.access_token(
            "kontaktpunkt-officer", issue.officer_claims("csn-1") or {}, ""
        )
    _refused(client, _bearer(officer), "wrong_kind", "/api/v1/agencies/csn/steps")


def test_a_provider_that_answers_garbage_is_503_not_500(
    app: Flask, client: FlaskClient, other_issuer: TestIssuer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "OIDC_ISSUER", other_issuer.url)
    other_issuer.garbage = True
    response = client.get("/api/v1/cases", headers=_bearer(other_issuer.citizen_token(ANNA)))
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert "unavailable" in response.json["message"]

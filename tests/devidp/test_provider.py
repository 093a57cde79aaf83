"""The simulated eID as an OpenID Connect provider: its discovery document and keys, its
sign-in page, the code used once, and nothing of it with production settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from celery import current_app as current_celery
from flask import Flask
from flask.testing import FlaskClient

from contactpoint import create_app
from contactpoint.extensions import db, dispose_engines
from workflows import runtime


def test_the_discovery_document_names_the_issuer_and_its_endpoints(client: FlaskClient) -> None:
    found = client.get("/dev-idp/.well-known/openid-configuration").json
    assert found["issuer"] == "http://localhost/dev-idp"
    assert found["jwks_uri"] == "http://localhost/dev-idp/jwks"
    assert found["code_challenge_methods_supported"] == ["S256"]
    assert (
        "end_session_endpoint" in found and "authorization_code" in found["grant_types_supported"]
    )
    keys = client.get("/dev-idp/jwks").json["keys"]
    assert keys and all("d" not in key for key in keys)  # the public half only


def test_the_sign_in_page_asks_for_a_personal_identity_number(client: FlaskClient) -> None:
    authorize = client.get("/login").headers["Location"]
    swedish = client.get(authorize).get_data(as_text=True)
    assert "Personnummer" in swedish and "Logga in som Anna Lindqvist" in swedish
    english = client.get(authorize + "&lang=en").get_data(as_text=True)
    assert "Personal identity number" in english


def test_an_unknown_client_or_a_foreign_redirect_is_refused(client: FlaskClient) -> None:
    authorize = client.get("/login").headers["Location"]
    assert client.get(authorize.replace("client_id=kontaktpunkt", "client_id=x")).status_code == 400
    foreign = authorize.replace("http%3A%2F%2Flocalhost", "https%3A%2F%2Fevil.example")
    assert client.get(foreign).status_code == 400


def test_client_credentials_give_an_agency_system_a_token(client: FlaskClient) -> None:
    body = {"grant_type": "client_credentials"}
    refused = client.post(
        "/dev-idp/token", data={**body, "client_id": "csn", "client_secret": "guess"}
    )
    assert refused.status_code == 401 and refused.json == {"error": "invalid_client"}
    given = client.post(
        "/dev-idp/token",
        data={**body, "client_id": "csn", "client_secret": "development-only-csn-secret"},
    )
    headers = {"Authorization": f"Bearer {given.json['access_token']}"}
    assert client.get("/api/v1/agencies/csn/steps", headers=headers).status_code == 200


@pytest.fixture()
def production(tmp_path: Path) -> Iterator[Flask]:
    """The app with production settings (its own SQLite; nothing is asked of it)."""
    previous_runtime, previous_celery = runtime._current, current_celery._get_current_object()
    app = create_app(
        {
            "ENVIRONMENT": "production",
            "SECRET_KEY": "production-test",
            "PERSONAL_DATA_KEY": "p" * 32,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}",
            "SANDBOX_DATABASE_URL": f"sqlite:///{tmp_path / 'sandbox.sqlite'}",
            "REDIS_URL": "redis://127.0.0.1:1/0",
            "OIDC_ISSUER": "https://eid.example.se",
            "OIDC_CLIENT_ID": "kontaktpunkt",
            "OIDC_CLIENT_SECRET": "s",
            "OIDC_OFFICER_ISSUER": "https://staff.example.se",
            "OIDC_OFFICER_CLIENT_ID": "kontaktpunkt-staff",
            "OIDC_OFFICER_CLIENT_SECRET": "s",
            "SMTP_URL": "smtp://127.0.0.1:1",
            "MAIL_FROM": "noreply@kontaktpunkt.example.se",
            "PUBLIC_URL": "https://kontaktpunkt.example.se",
        }
    )
    yield app
    with app.app_context():
        db.session.remove()
        dispose_engines()
    runtime._current = previous_runtime
    previous_celery.set_default()


@pytest.mark.parametrize(
    "path",
    [
        "/dev-idp/.well-known/openid-configuration",
        "/dev-idp/jwks",
        "/dev-idp/authorize?client_id=kontaktpunkt",
        "/dev-mail",
    ],
)
def test_production_does_not_mount_the_simulated_provider(production: Flask, path: str) -> None:
    assert production.test_client().get(path).status_code == 404


def test_production_has_no_development_tokens(production: Flask) -> None:
    client = production.test_client()
    eid = client.post("/api/v1/dev/eid/token", json={"personal_number": "19850312-2387"})
    agency = client.post("/api/v1/dev/agency/token", json={"agency": "csn"})
    assert (eid.status_code, agency.status_code) == (404, 404)
    assert client.post("/dev-idp/token", data={"grant_type": "x"}).status_code == 404

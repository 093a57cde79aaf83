"""The audit trail refuses changes; agency systems get tokens with client credentials; a step's
service level is declared in the definition and checked at load."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from agencies.catalogue import AGENCIES
from contactpoint.db import paging
from contactpoint.db.models import AuditEntry
from contactpoint.extensions import db
from contactpoint.officer import audit
from tests.helpers.officer import officer_login
from workflows.lifeevents import DefinitionError, catalogue, load_definition


def test_the_audit_trail_is_append_only(app: Flask) -> None:
    with app.app_context():
        entry = audit.record(
            "officer:kommun_0380-1", "officer", "kommun_0380", "viewed_step", None, None
        )
        with pytest.raises(sa.exc.DatabaseError):
            db.session.execute(
                sa.update(AuditEntry).where(AuditEntry.id == entry.id).values(actor="someone")
            )
            db.session.commit()
        db.session.rollback()
        assert db.session.get(AuditEntry, entry.id).actor == "officer:kommun_0380-1"  # type: ignore[union-attr]


def test_client_credentials_give_an_agency_token(app: Flask, client: FlaskClient) -> None:
    secrets = app.config["AGENCY_CLIENT_SECRETS"]
    secrets["csn"] = "csn-test-secret"
    try:
        body = {"grant_type": "client_credentials", "client_id": "csn"}
        wrong = client.post("/api/v1/agencies/token", json={**body, "client_secret": "guess"})
        assert wrong.status_code == 401
        unknown = client.post(
            "/api/v1/agencies/token",
            json={**body, "client_id": "kommun_0380", "client_secret": "x"},
        )
        assert unknown.status_code == 401
        token = client.post(
            "/api/v1/agencies/token", json={**body, "client_secret": "csn-test-secret"}
        ).json["access_token"]
    finally:
        secrets.pop("csn")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/agencies/csn/steps", headers=headers).status_code == 200
    assert client.get("/api/v1/agencies/kommun_0380/steps", headers=headers).status_code == 404


def test_manual_steps_and_service_days_come_from_the_definition(tmp_path: Path) -> None:
    housing = catalogue()["moving"].step("housing-allowance")
    assert housing.handling == "manual" and housing.service_days == 14
    assert catalogue()["moving"].step("change-of-address").handling == "automatic"

    source = (Path(__file__).parents[2] / "workflows/definitions/moving.yaml").read_text()
    broken = tmp_path / "moving.yaml"
    broken.write_text(source.replace("service_days: 14", "service_days: two weeks"))
    with pytest.raises(DefinitionError, match=r"housing-allowance\)\.service_days"):
        load_definition(broken, set(AGENCIES))


def test_the_trail_is_counted_up_to_a_bound_and_says_so(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The trail only grows (every view of personal data adds to it): its count stops at a
    bound, in the database, and the page says there are more."""
    actor = f"officer:bolagsverket-{uuid.uuid4().hex[:8]}"
    with app.app_context():
        for _ in range(12):
            audit.record(actor, "officer", "bolagsverket", "viewed_step", None, None)
        monkeypatch.setattr(paging, "COUNTED_UP_TO", 10)
        entries, total, more = audit.trail("bolagsverket", actor=actor)
        assert (len(entries), total, more) == (12, 10, True)
        monkeypatch.setattr(paging, "COUNTED_UP_TO", 12)
        assert audit.trail("bolagsverket", actor=actor)[1:] == (12, False)
        monkeypatch.setattr(audit, "PAGE_SIZE", 5)
        last = audit.trail("bolagsverket", page=99, actor=actor)[0]  # a page past the last
        assert len(last) == 2 and last == audit.trail("bolagsverket", page=3, actor=actor)[0]
        db.session.rollback()
    monkeypatch.setattr(paging, "COUNTED_UP_TO", 10)
    officer_login(client, "bolagsverket-s")
    html = client.get(f"/officer/audit?actor={actor}").get_data(as_text=True)
    assert "10+ entries" in html and "a filter or a case reference" in html

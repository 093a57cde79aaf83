"""The case-status read: few queries however large the case, never stale, the token's person."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from agencies import clock
from contactpoint.bench.ours import automatic_answers
from contactpoint.bench.reads import count_queries
from contactpoint.db.engines import PREPARE_AFTER
from contactpoint.db.models import Case, CaseEvent, Step
from contactpoint.db.statements import STEPS, add_event, run, run_alone
from contactpoint.devidp.issue import citizen_access_token
from contactpoint.extensions import db
from tests.conftest import token_for, wait_until

ERIK = "19870715-4574"  # another person of the test population
UNCHANGED_READ = 1  # whose the case is and its version
CHANGED_READ = 2  # that, then the case with its steps and its timeline to render it again


@pytest.fixture(autouse=True)
def _worker(worker: Any) -> None:
    """A worker carries each case to its end, so the reads below see a case that stays put."""


def _submit(client: FlaskClient, anna: dict[str, str]) -> str:
    body = {"life_event": "moving", "answers": automatic_answers(), "consent": True}
    response = client.post("/api/v1/cases", json=body, headers=anna)
    assert response.status_code == 201
    case_id = str(response.json["id"])
    wait_until(lambda: _status(client, anna, case_id) in ("done", "done_with_problems"))
    # The read that saw it end may have checked the case's version a moment before the end
    # was committed, and kept its rendering under that version: the next read renders again.
    _read(client, anna, case_id)
    return case_id


def _status(client: FlaskClient, anna: dict[str, str], case_id: str) -> str:
    return str(client.get(f"/api/v1/cases/{case_id}", headers=anna).json["status"])


def _read(client: FlaskClient, who: dict[str, str], case_id: str) -> Any:
    response = client.get(f"/api/v1/cases/{case_id}", headers=who)
    assert response.status_code == 200
    return response.json


def _queries(app: Flask, client: FlaskClient, anna: dict[str, str], case_id: str) -> int:
    return count_queries(lambda: _read(client, anna, case_id))


def _grow(app: Flask, case_id: str, steps: int) -> None:
    """Add steps and timeline entries to a case, as a long-running case gathers them."""
    with app.app_context():
        case = db.session.get(Case, case_id)
        for position in range(len(case.steps), len(case.steps) + steps):
            case.steps.append(Step(position=position, key=f"extra-{position}", agency="csn"))
            case.events.append(CaseEvent(kind="step_started", detail={}))
        db.session.commit()


def test_a_status_read_takes_the_same_queries_for_many_steps_and_many_cases(
    app: Flask, client: FlaskClient, anna: dict[str, str]
) -> None:
    case_id = _submit(client, anna)  # read until it ended: its rendering is kept
    unchanged = _queries(app, client, anna, case_id)
    _grow(app, case_id, 30)
    for _ in range(3):
        _submit(client, anna)
    grown = _queries(app, client, anna, case_id)
    assert len(_read(client, anna, case_id)["steps"]) >= 30
    assert (unchanged, grown) == (UNCHANGED_READ, CHANGED_READ)
    assert _queries(app, client, anna, case_id) == UNCHANGED_READ


def test_every_change_of_a_case_shows_in_the_next_read(
    app: Flask, client: FlaskClient, anna: dict[str, str]
) -> None:
    case_id = _submit(client, anna)
    before = _read(client, anna, case_id)
    with app.app_context():  # a change as a worker makes it: a Core statement, no ORM object
        run(
            sa.update(STEPS)
            .where(STEPS.c.case_id == case_id)
            .values(status_reason="The register is closed for the night.")
        )
        db.session.commit()
    failed = _read(client, anna, case_id)
    assert failed != before
    assert "The register is closed for the night." in [s["status_reason"] for s in failed["steps"]]
    with app.app_context():  # a change through the ORM, as a page's action makes it
        db.session.get(Case, case_id).status = "withdrawn"
        db.session.commit()
    assert _read(client, anna, case_id)["status"] == "withdrawn"
    with app.app_context():  # a timeline entry alone
        add_event(case_id, None, "case_reminded")
        db.session.commit()
    assert "case_reminded" in [e["kind"] for e in _read(client, anna, case_id)["timeline"]]


def test_a_change_a_crash_lost_and_another_made_in_its_place_shows_in_the_next_read(
    app: Flask, client: FlaskClient, anna: dict[str, str]
) -> None:
    """A crash of the database may lose a worker's last commits after a web process kept
    the case as they left it. The counts the case's version is made of then start again
    from the last commit kept, and the change made in its place reaches the same counts."""
    case_id = _submit(client, anna)
    with app.app_context():
        kept = run(
            sa.select(STEPS.c.id, STEPS.c.version, STEPS.c.updated_at)
            .where(STEPS.c.case_id == case_id)
            .limit(1)
        ).one()
        run(sa.update(STEPS).where(STEPS.c.id == kept.id).values(status_reason="Lost."))
        db.session.commit()
    lost = client.get(f"/api/v1/cases/{case_id}", headers=anna)
    assert "Lost." in [step["status_reason"] for step in lost.json["steps"]]
    with app.app_context():  # the crash: the step as the last commit kept left it
        as_kept = {"version": kept.version, "updated_at": kept.updated_at, "status_reason": None}
        run(sa.update(STEPS).where(STEPS.c.id == kept.id).values(**as_kept))
        run(sa.update(STEPS).where(STEPS.c.id == kept.id).values(status_reason="Made again."))
        db.session.commit()
        assert run(sa.select(STEPS.c.version).where(STEPS.c.id == kept.id)).scalar() == (
            kept.version + 1  # the same count as the lost change's
        )
    again = client.get(
        f"/api/v1/cases/{case_id}", headers={**anna, "If-None-Match": lost.headers["ETag"]}
    )
    assert again.status_code == 200 and again.headers["ETag"] != lost.headers["ETag"]
    reasons = [step["status_reason"] for step in again.json["steps"]]
    assert "Made again." in reasons and "Lost." not in reasons


def test_each_language_reads_its_own_texts(
    app: Flask, client: FlaskClient, anna: dict[str, str]
) -> None:
    case_id = _submit(client, anna)
    swedish = client.get(f"/api/v1/cases/{case_id}?lang=sv", headers=anna).json
    english = client.get(f"/api/v1/cases/{case_id}?lang=en", headers=anna).json
    assert swedish["title"] != english["title"]
    assert client.get(f"/api/v1/cases/{case_id}?lang=sv", headers=anna).json == swedish


def test_an_unchanged_case_answers_304_to_its_etag(
    app: Flask, client: FlaskClient, anna: dict[str, str]
) -> None:
    case_id = _submit(client, anna)
    first = client.get(f"/api/v1/cases/{case_id}", headers=anna)
    etag = first.headers["ETag"]
    assert (
        "no-cache" in first.headers["Cache-Control"] and "private" in first.headers["Cache-Control"]
    )
    same = client.get(f"/api/v1/cases/{case_id}", headers={**anna, "If-None-Match": etag})
    assert same.status_code == 304 and not same.data
    _grow(app, case_id, 1)
    changed = client.get(f"/api/v1/cases/{case_id}", headers={**anna, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_a_kept_rendering_is_never_anothers_to_read(
    app: Flask, client: FlaskClient, anna: dict[str, str]
) -> None:
    case_id = _submit(client, anna)
    _read(client, anna, case_id)  # rendered and kept for Anna
    erik = token_for(client, ERIK)
    assert client.get(f"/api/v1/cases/{case_id}", headers=erik).status_code == 404
    assert client.get(f"/api/v1/cases/{case_id}", headers={}).status_code == 401


def test_a_token_of_an_unknown_person_is_401_not_404(
    app: Flask, client: FlaskClient, anna: dict[str, str]
) -> None:
    case_id = _submit(client, anna)
    with app.test_request_context():
        # A valid personal number, signed by the provider, of no one known here
        stranger = {"Authorization": f"Bearer {citizen_access_token('19121212-1212')}"}
    assert client.get(f"/api/v1/cases/{case_id}", headers=stranger).status_code == 401
    assert client.get("/api/v1/cases/does-not-exist", headers=stranger).status_code == 401


def test_a_token_whose_signature_was_checked_before_still_expires(
    app: Flask, client: FlaskClient, anna: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = _submit(client, anna)  # Anna's token is checked, and kept
    later = clock.now() + dt.timedelta(seconds=app.config["DEV_IDP_TOKEN_LIFETIME_S"] + 60)
    with monkeypatch.context() as moved:
        moved.setattr(clock, "now", lambda: later)  # the one clock: the token is now too old
        refused = client.get(f"/api/v1/cases/{case_id}", headers=anna)
    assert refused.status_code == 401 and refused.json["errors"] == {"token": ["expired"]}
    assert client.get(f"/api/v1/cases/{case_id}", headers=anna).status_code == 200


def test_the_status_read_is_planned_once_per_connection_though_requests_roll_back(
    app: Flask, client: FlaskClient, anna: dict[str, str], backend: dict[str, str]
) -> None:
    """PostgreSQL plans a statement each time it is sent, unless it is prepared; psycopg
    forgets what it prepared on every ROLLBACK, and every read through the session ends in
    one. The status read runs where nothing rolls back, so a web process plans it once."""
    if backend["name"] != "postgresql":
        pytest.skip("SQLite keeps no plans on the server")
    case_id = _submit(client, anna)
    for _ in range(3):
        for _ in range(PREPARE_AFTER):
            _read(client, anna, case_id)
        assert client.get("/api/v1/cases", headers=anna).status_code == 200  # a ROLLBACK
    with app.app_context():  # the read's connection: a test client has only one at a time
        prepared = run_alone(
            sa.text(
                "SELECT generic_plans + custom_plans FROM pg_prepared_statements"
                " WHERE statement LIKE '%max(case_events.id)%'"
            )
        )
    assert prepared and prepared[0][0] > 2 * PREPARE_AFTER  # one statement, kept across them

"""One event, one case: a death reported by one estate member is not sent again by the next,
who sees the shared status and adds only what is theirs; a person sending the same life event
again soon is warned, with a link to the first case."""

from __future__ import annotations

import subprocess

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from contactpoint.db.models import Draft, Person
from contactpoint.extensions import db
from tests.conftest import ANNA, example, token_for, wait_until
from tests.helpers.pages import login

KARIN, LENA = "19440225-3274", "19680412-2684"  # both in Gustav Berg's estate


def _send(client: FlaskClient, headers: dict[str, str], answers: dict[str, object]) -> dict:
    body = {"life_event": "bereavement", "answers": answers, "consent": True}
    response = client.post("/api/v1/cases", json=body, headers=headers)
    assert response.status_code == 201, response.json
    return response.json


def test_a_death_reported_by_two_estate_members_is_sent_once(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    karin, lena = token_for(client, KARIN), token_for(client, LENA)
    answers = example(client, "bereavement")
    first = _send(client, karin, answers)
    own = {**answers, "received": ["pension", "housing_supplement", "student_finance"]}
    second = _send(client, lena, own)

    shared = client.get(f"/api/v1/cases/{second['id']}/shared-status?lang=en", headers=lena)
    assert shared.status_code == 200, shared.json
    assert shared.json["joins"] and shared.json["reported_by"] == "another estate member"
    assert "Karin" not in shared.get_data(as_text=True)
    reported = {step["key"] for step in shared.json["steps"]}
    assert {"pension", "housing-supplement", "vehicle"} <= reported
    lenas = {step["key"] for step in second["steps"]}
    assert not lenas & reported  # only what is hers to add
    assert ("student-finance" in lenas) == ("student-finance" not in reported)
    swedish = client.get(f"/api/v1/cases/{second['id']}/shared-status?lang=sv", headers=lena)
    assert swedish.json["reported_by"] == "en annan dödsbodelägare"
    own = client.get(f"/api/v1/cases/{first['id']}/shared-status", headers=karin)
    assert own.status_code == 200 and own.json["joins"] is False  # the first joins nothing
    assert own.json["steps"] == []
    other = client.get(f"/api/v1/cases/{first['id']}/shared-status", headers=lena)
    assert other.status_code == 404  # another person's case: not there

    def settled() -> bool:
        case = client.get(f"/api/v1/cases/{second['id']}", headers=lena).json
        return case["status"] in ("done", "done_with_problems")

    wait_until(settled, timeout_s=60)
    ledger = app.extensions["ledger"].entries()
    sent_for_lena = {entry.step for entry in ledger if entry.case_id == second["id"]}
    assert not sent_for_lena & reported
    sent_for_karin = [entry for entry in ledger if entry.case_id == first["id"]]
    assert all(entry.times_received == 1 for entry in sent_for_karin)

    login(client, LENA)
    page = client.get(f"/my-pages/cases/{second['id']}?lang=en").get_data(as_text=True)
    assert "Already reported by another estate member" in page
    assert "Karin" not in page


def test_sending_the_same_life_event_again_soon_is_warned_with_a_link_to_the_first(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes], anna: dict[str, str]
) -> None:
    answers = example(client)
    body = {"life_event": "moving", "answers": answers, "consent": True}
    sent = client.post("/api/v1/cases", json=body, headers=anna).json
    with app.app_context():
        person = db.session.scalar(sa.select(Person).where(Person.personal_number == ANNA))
        assert person is not None
        db.session.execute(
            sa.delete(Draft).where(Draft.person_id == person.id, Draft.life_event == "moving")
        )
        db.session.add(Draft(person_id=person.id, life_event="moving", answers=answers))
        db.session.commit()
    login(client, ANNA)
    check = client.get("/life-events/moving/check?lang=en")
    assert check.status_code == 200
    html = check.get_data(as_text=True)
    assert "You sent this a short while ago" in html
    assert f'href="/my-pages/cases/{sent["id"]}"' in html
    assert sent["reference"] in html

"""Asking the Mina ärenden query as Skatteverket's forwarding service does, and two people's
cases with timelines of known moments, written straight into the run's database."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from contactpoint.db.models import Case, CaseEvent, Person, Step, new_id
from contactpoint.extensions import db
from tests.conftest import MINA_ARENDEN_KEY

URL = "/api/v1/mina-arenden/kundhandelseFragaSynkron"
CORRELATION_ID = "0002aa29-49f2-4baf-be51-c7c39c9824b4"
ASKER = "198503122387"  # the user the forwarding service asks for (`anvandare`)


def headers(**changes: str | None) -> dict[str, str]:
    """The forwarding service's headers, some changed (None leaves one out)."""
    found = {"X-API-Key": MINA_ARENDEN_KEY, "skv_client_correlation_id": CORRELATION_ID}
    found |= changes
    return {name: value for name, value in found.items() if value is not None}


def customer(digits: str, kind: str = "Personnummer") -> dict[str, Any]:
    return {"kund": {"identifierare": digits, "typ": kind}}


def case_party(reference: str, kind: str = "Producentarendereferens") -> dict[str, Any]:
    return {"arende": {"identifierare": reference, "typ": kind}}


def query(*parties: dict[str, Any], **fraga: Any) -> dict[str, Any]:
    return {"fraga": {"parter": list(parties), **fraga}, "anvandare": ASKER}


def ask(client: FlaskClient, body: Any, **header_changes: str | None) -> TestResponse:
    """Send the query; `body` as JSON."""
    return client.post(URL, json=body, headers=headers(**header_changes))


def events_of(response: TestResponse, party: int = 0) -> list[dict[str, Any]]:
    """The customer events of one party of a 200 answer."""
    assert response.status_code == 200, response.json
    return list(response.json["kundhandelser"][party]["kundhandelserForPart"])


def types_of(response: TestResponse, party: int = 0) -> list[str]:
    return [event["kundhandelseTyp"] for event in events_of(response, party)]


def digits(personal_number: str) -> str:
    return personal_number.replace("-", "")


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)  # type: ignore[misc]


@dataclass(frozen=True)
class Known:
    """Two cases of one person with known timelines: a move in January (Swedish winter
    time) through a complement and a decision, and a child's name reported in June (summer
    time) on the child's behalf."""

    parent: str  # 12 digits
    child: str
    moving: str  # the moving case's reference
    baby: str
    moving_steps: dict[str, str]  # key -> agency reference
    baby_steps: dict[str, str]


# The moving case's lines: (kind, step key or None, moment, detail).
MOVING_LINES: list[tuple[str, str | None, dt.datetime, dict[str, Any]]] = [
    ("case_submitted", None, utc(2026, 1, 10, 9, 0, 0), {"life_event": "moving"}),
    ("step_started", "change-of-address", utc(2026, 1, 10, 9, 0, 1), {}),
    ("step_done", "change-of-address", utc(2026, 1, 10, 9, 0, 2), {}),
    ("step_started", "housing-allowance", utc(2026, 1, 10, 9, 0, 3), {}),
    ("step_retry", "housing-allowance", utc(2026, 1, 10, 9, 0, 4), {"reason": "timeout"}),
    ("step_waiting", "housing-allowance", utc(2026, 1, 10, 9, 0, 6), {}),
    # 23:30 on 12 January in Sweden, 22:30 in UTC.
    ("complement_requested", "housing-allowance", utc(2026, 1, 12, 22, 30), {"actor": "fk"}),
    ("complement_answered", "housing-allowance", utc(2026, 1, 13, 8, 0), {"actor": "citizen"}),
    ("step_approved", "housing-allowance", utc(2026, 1, 14, 10, 0, 0), {"actor": "fk"}),
    ("case_closed", None, utc(2026, 1, 14, 10, 0, 1), {"status": "done"}),
]
BABY_LINES: list[tuple[str, str | None, dt.datetime, dict[str, Any]]] = [
    ("case_submitted", None, utc(2026, 6, 15, 8, 0, 0), {"life_event": "new-baby"}),
    ("step_started", "child-name", utc(2026, 6, 15, 8, 0, 1), {}),
    ("step_done", "child-name", utc(2026, 6, 15, 8, 0, 2), {}),
    ("case_closed", None, utc(2026, 6, 15, 8, 0, 3), {"status": "done"}),
]
MOVING_EVENTS = 9  # every line but the retry
BABY_EVENTS = 4


def _number(rng: random.Random, year: int) -> str:
    return f"{year}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}-{rng.randrange(10_000):04d}"


def _case(
    person_id: str,
    life_event: str,
    steps: list[tuple[str, str, str, str | None]],
    lines: list[tuple[str, str | None, dt.datetime, dict[str, Any]]],
    on_behalf_of: str | None = None,
) -> tuple[str, dict[str, str]]:
    """A closed case with its steps (key, agency, status, reference) and lines; its
    reference and its steps' references by key."""
    reference = f"KP-T{new_id()[:7].upper()}"
    case = Case(
        person_id=person_id,
        life_event=life_event,
        reference=reference,
        status="done",
        on_behalf_of=on_behalf_of,
        consented_at=lines[0][2],
        created_at=lines[0][2],
        closed_at=dt.datetime.now(dt.UTC),
    )
    db.session.add(case)
    db.session.flush()
    ids = {}
    for position, (key, agency, status, agency_reference) in enumerate(steps):
        step = Step(
            case_id=case.id,
            position=position,
            key=key,
            agency=agency,
            status=status,
            ball="none",
            agency_reference=agency_reference,
        )
        db.session.add(step)
        db.session.flush()
        ids[key] = step.id
    for kind, key, at, detail in lines:
        agency = next((a for k, a, _s, _r in steps if k == key), None)
        extra = {"agency": agency} if agency else {}
        step_id = ids[key] if key else None
        db.session.add(
            CaseEvent(case_id=case.id, step_id=step_id, at=at, kind=kind, detail=detail | extra)
        )
    return reference, {key: ref for key, _a, _s, ref in steps if ref}


@pytest.fixture(scope="module")
def known(app: Flask) -> Iterator[Known]:
    """The two cases, removed afterwards."""
    rng = random.Random()
    parent, child = _number(rng, 1961), _number(rng, 2026)
    with app.app_context():
        person = Person(personal_number=parent, name="Test Förälder")
        db.session.add(person)
        db.session.flush()
        moving, moving_steps = _case(
            person.id,
            "moving",
            [
                ("change-of-address", "skatteverket", "done", f"SKV-{new_id()[:8]}"),
                ("housing-allowance", "forsakringskassan", "done", f"FK-{new_id()[:8]}"),
            ],
            MOVING_LINES,
        )
        baby, baby_steps = _case(
            person.id,
            "new-baby",
            [
                ("child-name", "skatteverket", "done", f"SKV-{new_id()[:8]}"),
                ("child-allowance", "forsakringskassan", "not_needed", None),
            ],
            BABY_LINES,
            on_behalf_of=child,
        )
        db.session.commit()
        person_id = person.id
    yield Known(digits(parent), digits(child), moving, baby, moving_steps, baby_steps)
    with app.app_context():
        cases = sa.select(Case.id).where(Case.person_id == person_id)
        db.session.execute(sa.delete(CaseEvent).where(CaseEvent.case_id.in_(cases)))
        db.session.execute(sa.delete(Step).where(Step.case_id.in_(cases)))
        db.session.execute(sa.delete(Case).where(Case.person_id == person_id))
        db.session.execute(sa.delete(Person).where(Person.id == person_id))
        db.session.commit()

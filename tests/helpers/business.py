"""Acting for a company in tests: a hiring case sent for it, and a power of attorney given."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask.testing import FlaskClient

from agencies.clock import today
from tests.conftest import token_for


def hire_for(client: FlaskClient, person: str, organisation: str) -> Any:
    """`person` sends "hiring the first employee" for the company; the API's answer."""
    answers = {
        "organisation": organisation,
        "employment_start": "2027-03-01",
        "first_salary_date": "2027-03-25",
        "employees": 2,
    }
    body = {"life_event": "hire-first-employee", "answers": answers, "consent": True}
    return client.post("/api/v1/cases", json=body, headers=token_for(client, person))


def give_power(
    client: FlaskClient, signatory: str, organisation: str, holder: str, *life_events: str
) -> Any:
    """The signatory gives `holder` a power of attorney for a month; the API's answer."""
    until = (today() + dt.timedelta(days=30)).isoformat()
    grant = {"holder": holder, "life_events": list(life_events), "valid_until": until}
    path = f"/api/v1/organisations/{organisation}/powers-of-attorney"
    return client.post(path, json=grant, headers=token_for(client, signatory))

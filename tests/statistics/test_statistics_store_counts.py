"""What the roll-up counts in the database for a month, from real cases carried out by the
worker on SQLite and PostgreSQL: a case withdrawn, a step an agency said no to, and the steps
done beside them. The published figures leave counts this small out, so the counts are read
where the roll-up reads them, before they are protected."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from agencies import clock
from contactpoint.db.statistics_store import StatisticsSql
from tests.conftest import ANNA, example, token_for, wait_until
from workflows.statistics import month_bounds, month_of

from .conftest import StatisticsCluster

HOUSING = "housing-allowance"  # waits for Försäkringskassan when it is asked for


def _moving(client: FlaskClient, headers: dict[str, str]) -> str:
    """A move with housing allowance: its step at Försäkringskassan waits for a decision."""
    answers = {**example(client, "moving"), "housing_allowance": True}
    body = {"life_event": "moving", "answers": answers, "consent": True}
    response = client.post("/api/v1/cases", json=body, headers=headers)
    assert response.status_code == 201, response.json
    return str(response.json["id"])


def _case(client: FlaskClient, headers: dict[str, str], case_id: str) -> dict[str, Any]:
    return dict(client.get(f"/api/v1/cases/{case_id}", headers=headers).json)


def _waiting(client: FlaskClient, headers: dict[str, str], case_id: str) -> str | None:
    """The id of the case's housing-allowance step once it waits for the agency."""
    for step in _case(client, headers, case_id)["steps"]:
        if step["key"] == HOUSING and (step["status"], step["ball"]) == ("waiting", "agency"):
            return str(step["id"])
    return None


def test_a_withdrawn_case_and_a_step_the_agency_refused_are_counted(
    cluster: StatisticsCluster,
) -> None:
    client = cluster.client()
    anna = token_for(client, ANNA)
    month = month_of(clock.now())
    withdrawn, refused = _moving(client, anna), _moving(client, anna)
    wait_until(lambda: _waiting(client, anna, withdrawn), timeout_s=60)
    response = client.post(f"/api/v1/cases/{withdrawn}/withdrawal", headers=anna)
    assert response.status_code in (200, 202), response.json
    step_id = wait_until(lambda: _waiting(client, anna, refused), timeout_s=60)
    agency = client.post("/api/v1/dev/agency/token", json={"agency": "forsakringskassan"}).json
    decided = client.post(
        f"/api/v1/agencies/forsakringskassan/steps/{step_id}/decision",
        json={"decision": "reject", "reason": "Hyran är för låg för bostadsbidrag."},
        headers={"Authorization": f"Bearer {agency['access_token']}"},
    )
    assert decided.status_code == 200, decided.json
    statuses = {case_id: "" for case_id in (withdrawn, refused)}

    def closed() -> bool:
        statuses.update({c: _case(client, anna, c)["status"] for c in statuses})
        return statuses[withdrawn] == "withdrawn" and statuses[refused] == "done_with_problems"

    wait_until(closed, timeout_s=90)
    done = {
        case_id: sum(step["status"] == "done" for step in _case(client, anna, case_id)["steps"])
        for case_id in statuses
    }
    assert month_of(clock.now()) == month, "the month ended while the cases ran"

    with cluster.app.app_context():
        counted = StatisticsSql().month_data(*month_bounds(month))["moving"]
    assert counted.submitted == 2
    assert counted.closed == {"withdrawn": 1, "done_with_problems": 1}
    assert (counted.steps_failed, counted.steps_failed_cases) == (1, 1)
    assert counted.steps_done == sum(done.values())
    assert counted.steps_done_cases == sum(1 for count in done.values() if count)
    assert counted.steps_automated == sum(done.values())  # the refusal was a person's
    assert (counted.steps_retried, counted.steps_retried_cases) == (0, 0)

"""Every read shown: when a case officer opens a step, or the agency's system reads it through
the API, the citizen sees it in "Who has my data" and in the API's sharing log, with the
agency and the role (never who), when, which step and case, and why; nobody else sees it."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from agencies import clock
from contactpoint.officer.staff import officer
from tests.conftest import ANNA, token_for
from tests.helpers.officer import agency_headers, officer_login, submit, wait_for_step
from tests.helpers.once_only import ERIK
from tests.helpers.pages import login
from workflows.lifeevents import catalogue


def views_of(
    client: FlaskClient, headers: dict[str, str], step_id: str, lang: str = "en"
) -> list[dict[str, Any]]:
    """The citizen's sharing-log entries of kind `view` for one step, newest first."""
    response = client.get(f"/api/v1/me/data-shares?lang={lang}", headers=headers)
    assert response.status_code == 200, response.json
    return [e for e in response.json if e["kind"] == "view" and e["step_id"] == step_id]


def view_rows(html: str, case_reference: str) -> list[str]:
    """The page's rows of reads at agencies in the case with this reference."""
    rows = re.findall(
        r'<tr class="govuk-table__row" role="row" data-kind="view".*?</tr>', html, re.S
    )
    return [row for row in rows if case_reference in row]


def moment_of(text: str) -> dt.datetime:
    """A time the API gave, in UTC (SQLite gives back the UTC it stored without its zone)."""
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@pytest.fixture()
def still(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    """The clock stood still, so that two reads fall in one window (the next window is
    tests/db/test_views.py's: moved on here, the entries would lie in other tests' future)."""
    moment = clock.now()
    monkeypatch.setattr(clock, "now", lambda: moment)
    return moment


@pytest.fixture()
def waiting_step(
    client: FlaskClient, worker: subprocess.Popen[bytes], anna: dict[str, str]
) -> dict[str, Any]:
    """Anna's new case, once its housing allowance waits for Försäkringskassan's officers."""
    case = submit(client, anna)
    step = wait_for_step(client, anna, case["id"], "housing-allowance", "waiting", "agency")
    return {"case": case, "step": step}


def test_an_officer_opening_a_step_is_shown_to_the_citizen_but_not_who(
    app: Flask,
    client: FlaskClient,
    anna: dict[str, str],
    waiting_step: dict[str, Any],
    still: dt.datetime,
) -> None:
    case, step = waiting_step["case"], waiting_step["step"]
    assert views_of(client, anna, step["id"]) == []  # sent, and not read yet
    citizen = app.test_client()
    login(citizen, ANNA)

    officer_login(client, "forsakringskassan-1")
    assert client.get(f"/officer/steps/{step['id']}").status_code == 200

    [view] = views_of(client, anna, step["id"])
    assert view["agency"] == "forsakringskassan"
    assert view["agency_name"] == "Försäkringskassan (Social Insurance Agency)"
    assert (view["role"], view["times"]) == ("officer", 1)
    assert (view["case_id"], view["case_reference"]) == (case["id"], case["reference"])
    assert view["step_title"] == "Application for housing allowance"
    assert (view["basis"], view["basis_text"]) == ("case_handling", "To work on your case")
    assert moment_of(view["at"]) == still
    declared = catalogue()["moving"].step("housing-allowance").fields
    assert sorted(view["fields"]) == sorted(declared)  # what the officer was shown
    said = json.dumps(client.get("/api/v1/me/data-shares", headers=anna).json)
    lena = officer("forsakringskassan-1")
    assert lena is not None and lena.name not in said and lena.id not in said

    # Opened again within the window: the same entry, counted.
    client.get(f"/officer/steps/{step['id']}")
    [again] = views_of(client, anna, step["id"])
    assert (again["id"], again["times"], moment_of(again["at"])) == (view["id"], 2, still)

    english = citizen.get("/my-pages/data-shares?lang=en").get_data(as_text=True)
    [row] = view_rows(english, case["reference"])
    assert 'data-role="officer"' in row and "(2 times)" in row
    assert f"A case officer at {view['agency_name']} read" in row
    assert "To work on your case" in row and "Application for housing allowance" in row
    assert "We show which agency, not which person." in english and "10 minutes" in english
    assert lena.name not in english
    swedish = citizen.get("/my-pages/data-shares?lang=sv").get_data(as_text=True)
    [row] = view_rows(swedish, case["reference"])
    assert "En handläggare på Försäkringskassan läste" in row and "(2 gånger)" in row
    assert "För att arbeta med ditt ärende" in row and "Sök bostadsbidrag" in row
    assert "Vi visar vilken myndighet, inte vilken person." in swedish
    assert "inom 10 minuter" in swedish and lena.name not in swedish


def test_the_agencys_system_reading_a_step_is_shown_with_the_role_system(
    client: FlaskClient,
    anna: dict[str, str],
    waiting_step: dict[str, Any],
    still: dt.datetime,
) -> None:
    step = waiting_step["step"]
    fk = agency_headers(client, "forsakringskassan")
    url = f"/api/v1/agencies/forsakringskassan/steps/{step['id']}"

    listed = client.get("/api/v1/agencies/forsakringskassan/steps?queue=all", headers=fk)
    assert listed.status_code == 200 and "personal_number" not in listed.get_data(as_text=True)
    assert views_of(client, anna, step["id"]) == []  # the list holds no one's data: no read

    assert client.get(url, headers=fk).json["fields"]["personal_number"] == ANNA
    [view] = views_of(client, anna, step["id"], "sv")
    assert (view["agency"], view["role"], view["times"]) == ("forsakringskassan", "system", 1)
    assert view["basis_text"] == "För att arbeta med ditt ärende"

    # A decision answers with the step and what the agency received: another read.
    decided = client.post(f"{url}/decision", json={"decision": "approve"}, headers=fk)
    assert decided.status_code == 200 and decided.json["fields"]["personal_number"] == ANNA
    [view] = views_of(client, anna, step["id"])
    assert (view["role"], view["times"]) == ("system", 2)

    login(client, ANNA)
    page = client.get("/my-pages/data-shares?lang=en").get_data(as_text=True)
    [row] = view_rows(page, waiting_step["case"]["reference"])
    assert 'data-role="system"' in row
    assert "A computer system at Försäkringskassan (Social Insurance Agency) read" in row


def test_another_person_sees_nothing_of_a_read(
    client: FlaskClient, anna: dict[str, str], waiting_step: dict[str, Any]
) -> None:
    case, step = waiting_step["case"], waiting_step["step"]
    fk = agency_headers(client, "forsakringskassan")
    client.get(f"/api/v1/agencies/forsakringskassan/steps/{step['id']}", headers=fk)
    assert views_of(client, anna, step["id"])

    erik = token_for(client, ERIK)
    log = client.get("/api/v1/me/data-shares", headers=erik).json
    assert not [e for e in log if e["case_id"] == case["id"] or e["step_id"] == step["id"]]
    exported = client.get("/api/v1/me/export", headers=erik).json["data_shares"]
    assert not [e for e in exported if e["step_id"] == step["id"]]
    login(client, ERIK)
    assert case["reference"] not in client.get("/my-pages/data-shares").get_data(as_text=True)


def test_the_openapi_document_names_the_kinds_of_the_sharing_log(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").json
    response = spec["paths"]["/api/v1/me/data-shares"]["get"]["responses"]["200"]
    items = response["content"]["application/json"]["schema"]["items"]
    schema = spec["components"]["schemas"][items["$ref"].rsplit("/", 1)[1]]
    assert schema["properties"]["kind"]["enum"] == ["transfer", "register_read", "view"]
    assert "`view`" in schema["properties"]["kind"]["description"]
    assert set(schema["properties"]["role"]["enum"]) >= {"officer", "system"}
    assert {"times", "role", "at", "agency", "step_id", "case_id"} <= set(schema["properties"])

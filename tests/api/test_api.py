"""The public API contract: each endpoint, bad input, and another person's case."""

from __future__ import annotations

import subprocess

from flask.testing import FlaskClient

from tests.conftest import example, token_for, wait_until


def test_life_events_are_listed_without_login(client: FlaskClient) -> None:
    response = client.get("/api/v1/life-events")
    assert response.status_code == 200
    moving = next(event for event in response.json if event["id"] == "moving")
    assert moving["title"] and moving["description"]


def test_a_life_event_shows_questions_steps_rules_and_examples(client: FlaskClient) -> None:
    body = client.get("/api/v1/life-events/moving?lang=en").json
    assert body["title"] == "Moving house"
    assert body["example_person"] == "19850312-2387"
    school = next(step for step in body["steps"] if step["id"] == "school-transfer")
    assert school["when"] == {"answer": "moving_along", "includes": "school_age_child"}
    assert school["depends_on"] == ["change-of-address"]
    assert {q["id"] for q in body["questions"]} >= set(body["example_answers"])


def test_an_unknown_life_event_is_404_json(client: FlaskClient) -> None:
    response = client.get("/api/v1/life-events/space-travel")
    assert response.status_code == 404
    assert "space-travel" in response.json["message"]


def test_evaluate_returns_the_steps_and_fields_each_agency_would_receive(
    client: FlaskClient,
) -> None:
    answers = example(client)
    body = client.post("/api/v1/life-events/moving/evaluate", json={"answers": answers}).json
    assert body["complete"] is True
    steps = {step["id"]: step for step in body["steps"]}
    assert "school-transfer" in steps
    assert steps["school-transfer"]["fields"] == [
        "personal_number",
        "name",
        "move_date",
        "new_municipality",
        "current_municipality",
        "contact_phone",
    ]
    assert steps["vehicle-register"]["status"] == "not_needed"


def test_evaluate_names_a_bad_answer(client: FlaskClient) -> None:
    response = client.post(
        "/api/v1/life-events/moving/evaluate", json={"answers": {"move_date": "soon"}}
    )
    assert response.status_code == 422
    assert "move_date" in response.json["errors"]["answers"]


def test_evaluate_without_a_body_names_the_missing_field(client: FlaskClient) -> None:
    response = client.post("/api/v1/life-events/moving/evaluate", json={})
    assert response.status_code == 422
    assert "answers" in response.json["errors"]["json"]


def test_the_dev_eid_refuses_someone_outside_the_test_population(client: FlaskClient) -> None:
    response = client.post("/api/v1/dev/eid/token", json={"personal_number": "19000101-0000"})
    assert response.status_code == 422
    assert "personal_number" in response.json["errors"]["json"]


def test_cases_need_a_valid_token(client: FlaskClient) -> None:
    assert client.get("/api/v1/cases").status_code == 401
    response = client.get("/api/v1/cases", headers={"Authorization": "Bearer forged"})
    assert response.status_code == 401 and "message" in response.json


def test_creating_a_case_returns_it_with_its_steps(
    client: FlaskClient, anna: dict[str, str]
) -> None:
    body = {"life_event": "moving", "answers": example(client), "consent": True}
    response = client.post("/api/v1/cases", json=body, headers=anna)
    assert response.status_code == 201
    case = response.json
    assert case["id"] and case["status"] in ("received", "in_progress", "done")
    assert {"id", "agency", "status", "ball"} <= set(case["steps"][0])
    listed = client.get("/api/v1/cases", headers=anna).json
    assert case["id"] in [item["id"] for item in listed]
    assert client.get(f"/api/v1/cases/{case['id']}", headers=anna).json["id"] == case["id"]


def test_a_case_without_consent_is_refused_and_nothing_is_stored(client: FlaskClient) -> None:
    erik = token_for(client, "19870715-4574")
    before = len(client.get("/api/v1/cases", headers=erik).json)
    body = {"life_event": "moving", "answers": example(client), "consent": False}
    response = client.post("/api/v1/cases", json=body, headers=erik)
    assert response.status_code == 422 and "consent" in response.json["errors"]["json"]
    assert len(client.get("/api/v1/cases", headers=erik).json) == before


def test_bad_answers_are_named_per_question(client: FlaskClient, anna: dict[str, str]) -> None:
    answers = {**example(client), "new_postal_code": "abc", "move_date": "31/12"}
    body = {"life_event": "moving", "answers": answers, "consent": True}
    response = client.post("/api/v1/cases", json=body, headers=anna)
    assert response.status_code == 422
    assert set(response.json["errors"]["json"]["answers"]) == {"new_postal_code", "move_date"}


def test_unknown_life_event_and_unknown_fields_are_named(
    client: FlaskClient, anna: dict[str, str]
) -> None:
    response = client.post(
        "/api/v1/cases", json={"life_event": "x", "answers": {}, "consent": True}, headers=anna
    )
    assert response.status_code == 422 and "life_event" in response.json["errors"]["json"]
    response = client.post(
        "/api/v1/cases",
        json={"life_event": "moving", "answers": {}, "consent": True, "colour": "red"},
        headers=anna,
    )
    assert response.status_code == 422 and "colour" in response.json["errors"]["json"]


def test_a_body_that_is_not_json_is_a_4xx_not_a_500(
    client: FlaskClient, anna: dict[str, str]
) -> None:
    response = client.post(
        "/api/v1/cases", data="{not json", headers={**anna, "Content-Type": "application/json"}
    )
    assert 400 <= response.status_code < 500
    assert response.is_json


def test_another_persons_case_is_404(client: FlaskClient, anna: dict[str, str]) -> None:
    body = {"life_event": "moving", "answers": example(client), "consent": True}
    case_id = client.post("/api/v1/cases", json=body, headers=anna).json["id"]
    karin = token_for(client, "19440225-3274")
    response = client.get(f"/api/v1/cases/{case_id}", headers=karin)
    assert response.status_code == 404
    assert case_id not in [c["id"] for c in client.get("/api/v1/cases", headers=karin).json]
    assert client.get("/api/v1/cases/does-not-exist", headers=karin).status_code == 404


def test_healthz_reports_database_redis_and_workers(
    client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    response = wait_until(lambda: (r := client.get("/healthz")).status_code == 200 and r)
    body = response.json
    assert body["status"] == "ok" and body["database"] == "ok" and body["redis"] == "ok"
    assert isinstance(body["workers"], int) and body["workers"] >= 1


def test_the_openapi_document_and_docs_are_served_locally(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    assert (
        "/api/v1/cases" in spec["paths"]
        and "/api/v1/life-events/{event_id}/evaluate" in spec["paths"]
    )
    docs = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/api/v1/docs/assets/swagger-ui-bundle.js" in docs
    asset = client.get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200
    asset.close()

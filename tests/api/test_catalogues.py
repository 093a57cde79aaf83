"""The open catalogues of base registers and agencies: the declarations the code runs on, in
both languages, without a login, cacheable, and described in the OpenAPI document."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from agencies.catalogue import AGENCIES
from agencies.registers.catalogue import REGISTERS
from workflows.lifeevents import catalogue
from workflows.rules import may_receive


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_registers_are_those_the_code_reads_with_their_facts_and_keepers(
    client: FlaskClient, language: str
) -> None:
    response = client.get(f"/api/v1/registers?lang={language}")
    assert response.status_code == 200
    found = {entry["id"]: entry for entry in response.json}
    assert list(found) == list(REGISTERS)
    for register in REGISTERS.values():
        entry = found[register.id]
        assert entry["name"] == register.name[language]
        assert entry["kept_by"] == {
            "id": register.agency,
            "name": AGENCIES[register.agency].name[language],
        }
        facts = {fact["id"]: fact for fact in entry["facts"]}
        assert list(facts) == list(register.facts)
        for fact_id, fact in register.facts.items():
            assert (facts[fact_id]["type"], facts[fact_id]["name"]) == (
                fact.type,
                fact.text[language],
            )


def test_a_fact_names_the_questions_it_answers(client: FlaskClient) -> None:
    declared = {
        (question.prefill, event.id, question.id)
        for event in catalogue().values()
        for question in event.questions
        if question.prefill
    }
    shown = {
        (f"{entry['id']}.{fact['id']}", prefill["life_event"], prefill["question"])
        for entry in client.get("/api/v1/registers").json
        for fact in entry["facts"]
        for prefill in fact["prefills"]
    }
    assert (
        shown == declared and ("population.municipality", "moving", "current_municipality") in shown
    )


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_agencies_say_who_they_are_what_they_do_and_which_steps_they_receive(
    client: FlaskClient, language: str
) -> None:
    response = client.get(f"/api/v1/agencies?lang={language}")
    assert response.status_code == 200
    found = {entry["id"]: entry for entry in response.json}
    assert list(found) == list(AGENCIES)
    for agency in AGENCIES.values():
        entry = found[agency.id]
        assert entry["name"] == agency.name[language] and entry["role"] == agency.role[language]
        assert entry["reference_prefix"] == agency.reference_prefix
        declared = [
            (event.id, step.id, step.title[language], step.action, step.handling, list(step.fields))
            for event in catalogue().values()
            for step in event.steps
            if may_receive(agency.id, step)
        ]
        shown = [
            (s["life_event"], s["step"], s["title"], s["action"], s["handling"], s["fields"])
            for s in entry["steps"]
        ]
        assert shown == declared
        assert entry["registers"] == [r.id for r in REGISTERS.values() if r.agency == agency.id]
    assert found["skatteverket"]["registers"] == ["population"]
    assert found["bolagsverket"]["issues"] == [
        {
            "field": "organisation_number",
            "name": "Organisationsnummer" if language == "sv" else "Organisation number",
        }
    ]
    moving = {(s["life_event"], s["step"]) for s in found["forsakringskassan"]["steps"]}
    assert ("moving", "housing-allowance") in moving


@pytest.mark.parametrize("path", ["/api/v1/registers", "/api/v1/agencies"])
def test_the_catalogues_are_open_and_cacheable(client: FlaskClient, path: str) -> None:
    first = client.get(path)  # no Authorization: open to anyone
    assert first.status_code == 200 and first.headers["Cache-Control"] == "public, max-age=3600"
    etag = first.headers["ETag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag
    english = client.get(f"{path}?lang=en", headers={"If-None-Match": etag})
    assert english.status_code == 200 and english.headers["ETag"] != etag


def test_the_catalogues_are_in_the_openapi_document(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").json
    for path, schema in (
        ("/api/v1/registers", "RegisterEntry"),
        ("/api/v1/agencies", "AgencyEntry"),
    ):
        operation = spec["paths"][path]["get"]
        items = operation["responses"]["200"]["content"]["application/json"]["schema"]["items"]
        assert items["$ref"] == f"#/components/schemas/{schema}"
        assert "security" not in operation
    assert {"kept_by", "facts"} <= set(spec["components"]["schemas"]["RegisterEntry"]["properties"])
    assert {"role", "steps"} <= set(spec["components"]["schemas"]["AgencyEntry"]["properties"])

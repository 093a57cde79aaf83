"""Schemathesis attacks the whole API as its OpenAPI document describes it: every operation
through every phase (the document's examples, its boundaries, fuzzing) and, by the document's
links, sequences of calls (a case created, then read, its step read and decided by its
agency). As a citizen, as each agency's system and, on the Mina ärenden query, as
Skatteverket's forwarding service with its key. No answer may be a 500, and every answer must
be what the document says: its status, content type, headers and schema.

Two checks are left out, for what the document cannot say: `positive_data_acceptance`
(answers valid by the schema are refused by the life event's rules, a decision without its
words, a number outside the test population: each a 422 that names why), and extra query
parameters (every page and endpoint takes `?lang=`, documented once for the API).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis.errors import FlakyStrategyDefinition

from tests.attacks.conftest import Target
from tests.conftest import MINA_ARENDEN_KEY
from workflows import AGENCIES, catalogue

MINA_ARENDEN = "/api/v1/mina-arenden/kundhandelseFragaSynkron"
# Bounded so that both backends together take about two minutes on two cores.
EXAMPLES_PER_OPERATION = 40
SEQUENCES, STEPS_PER_SEQUENCE = 20, 8
CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {
            "max-examples": EXAMPLES_PER_OPERATION,
            "allow-extra-parameters": False,
            "deterministic": True,
        },
        "checks": {"positive_data_acceptance": {"enabled": False}},
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": True, "max-steps": STEPS_PER_SEQUENCE},
        },
    }
)
BOUNDED = settings(
    deadline=None,
    max_examples=EXAMPLES_PER_OPERATION,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def load(target: Target) -> Any:
    """The app's own OpenAPI document, called in-process (WSGI), with who calls what."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", target.app, config=CONFIG)

    class Callers:
        """Each agency's system on its own steps (by the path's agency), Skatteverket's
        forwarding service on the Mina ärenden query (by its key), a citizen elsewhere."""

        def get(self, case: Any, context: Any) -> str:
            if context.operation.path == MINA_ARENDEN:
                return MINA_ARENDEN_KEY
            agency = (case.path_parameters or {}).get("agency")
            on_steps = context.operation.path.startswith("/api/v1/agencies/{agency}/")
            return target.agencies.get(agency, target.citizen) if on_steps else target.citizen

        def set(self, case: Any, token: str, context: Any) -> None:
            if context.operation.path == MINA_ARENDEN:
                header = {"X-API-Key": token}
            else:
                header = {"Authorization": f"Bearer {token}"}
            case.headers = {**(case.headers or {}), **header}

    schema.auth.auth(refresh_interval=None)(Callers)

    @schema.hook("map_body").apply_to(method="POST", path="/api/v1/cases")
    def example_answers(_context: Any, body: Any) -> Any:
        """Half of the new cases (those with an even number of answers) get their life
        event's example answers instead, so that cases are created and the links from them
        followed; the other parts of the body, `consent` among them, stay as generated."""
        events = catalogue()
        answers = body.get("answers") if isinstance(body, dict) else None
        if isinstance(answers, dict) and len(answers) % 2 == 0 and body.get("life_event") in events:
            return {**body, "answers": dict(events[body["life_event"]].example_answers)}
        return body

    return schema


@pytest.fixture()
def api_schema(target: Target) -> Any:
    return load(target)


@schemathesis.pytest.from_fixture("api_schema").parametrize()
@BOUNDED
def test_every_operation_answers_as_documented_and_never_500(case: Any) -> None:
    """Each operation through the examples, coverage and fuzzing phases."""
    case.call_and_validate()


def test_call_sequences_by_the_documents_links_answer_as_documented(api_schema: Any) -> None:
    """The stateful phase: sequences that follow the links from one answer to the next call.

    Which links can be followed depends on what the database holds, and that grows while the
    sequences run (cases created, steps carried out by the worker): a call sequence Hypothesis
    has seen may later offer other links, which it reports as inconsistent generation
    (`FlakyStrategyDefinition`), not as anything the API did. The phase then runs again on
    the database as it is, at most three times; every failure of a check fails at once."""
    machine = api_schema.as_state_machine()
    bounded = settings(BOUNDED, max_examples=SEQUENCES, stateful_step_count=STEPS_PER_SEQUENCE)
    for attempt in range(3):
        try:
            machine.run(settings=bounded)
            return
        except FlakyStrategyDefinition:
            if attempt == 2:
                raise


def test_the_document_names_the_valid_ids_and_links_a_case_to_its_steps(target: Target) -> None:
    document = target.app.test_client().get("/api/v1/openapi.json").json
    paths = document["paths"]

    def path_values(path: str, name: str) -> list[str]:
        parameter = next(p for p in paths[path]["parameters"] if p["name"] == name)
        return list(parameter["schema"]["enum"])

    life_events = list(catalogue())
    assert path_values("/api/v1/life-events/{event_id}", "event_id") == life_events
    assert path_values("/api/v1/life-events/{event_id}/preview", "event_id") == life_events
    assert path_values("/api/v1/agencies/{agency}/steps", "agency") == sorted(AGENCIES)
    request = document["components"]["schemas"]["CaseRequest"]["properties"]
    assert request["life_event"]["enum"] == life_events
    created = paths["/api/v1/cases"]["post"]["responses"]["201"]["links"]
    assert {link["operationId"] for link in created.values()} >= {"getCase", "decideAgencyStep"}
    listed = paths["/api/v1/agencies/{agency}/steps"]["get"]["responses"]["200"]["links"]
    assert listed["DecideStep"]["parameters"]["step_id"] == "$response.body#/items/0/id"

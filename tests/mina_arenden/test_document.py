"""The query and the answer are in the OpenAPI document, and a real answer fits it."""

from __future__ import annotations

from typing import Any

import jsonschema
from flask.testing import FlaskClient

from tests.mina_arenden.conftest import URL, Known, ask, customer, query


def _validator(spec: dict[str, Any], name: str) -> jsonschema.Draft4Validator:
    """A validator of one schema of the document, its references resolved within it."""
    schema = {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
    return jsonschema.Draft4Validator(schema)


def test_the_query_is_documented_with_its_key_headers_and_errors(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").json
    operation = spec["paths"][URL]["post"]
    assert operation["security"] == [{"minaArendenApiKey": []}]
    assert spec["components"]["securitySchemes"]["minaArendenApiKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
    }
    headers = {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}
    assert headers["skv_client_correlation_id"]["required"] is True
    assert headers["skv_client_correlation_id"]["schema"]["maxLength"] == 200
    assert "Accept-Language" in headers
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body["$ref"] == "#/components/schemas/KundhandelseFragaRequest"
    assert {"200", "400", "401", "404", "415", "429"} <= set(operation["responses"])
    error = operation["responses"]["400"]["content"]["application/json"]["schema"]["$ref"]
    assert set(spec["components"]["schemas"][error.rsplit("/", 1)[1]]["properties"]) == {"message"}


def test_a_real_answer_and_its_query_fit_the_documented_schemas(
    client: FlaskClient, known: Known
) -> None:
    spec = client.get("/api/v1/openapi.json").json
    handling = {"sortering": [{"attribut": "TIDPUNKT", "stigande": False}]}
    handling["paginering"] = {"offset": 1, "limit": 5}  # type: ignore[assignment]
    body = query(customer(known.parent), taggar=["moving"], behandling=handling)
    _validator(spec, "KundhandelseFragaRequest").validate(body)
    answer = ask(client, body).json
    assert len(answer["kundhandelser"][0]["kundhandelserForPart"]) == 5
    _validator(spec, "KundhandelseFragaResponse").validate(answer)
    event = spec["components"]["schemas"]["Kundhandelse"]["properties"]
    assert {"kundhandelseId", "tidpunkt", "kundhandelseTyp", "referenser", "taggar"} <= set(event)
    missing = _validator(spec, "KundhandelseFragaRequest").iter_errors(
        {"anvandare": "1"}
    )  # no fraga, and not 12 digits
    assert {error.validator for error in missing} == {"required", "pattern"}

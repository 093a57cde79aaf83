"""Every 4xx of the API says what is wrong in `message`; a 422 also names each field; who
calls is checked before what was sent."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.conftest import example, token_for

PATH_VALUES = {"agency": "skatteverket", "event_id": "moving"}


def _url(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES.get(m.group(1), "nothing"), path)


def test_a_call_without_a_token_is_401_however_malformed_the_rest(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").json
    checked = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or not operation.get("security"):
                continue
            query = "&".join(
                f"{p['name']}=%25bad%25"
                for p in operation.get("parameters", [])
                if p.get("in") == "query"
            )
            url = _url(path) + (f"?{query}" if query else "")
            response = client.open(
                url, method=method.upper(), data="{not json", content_type="application/json"
            )
            checked.append((method, path, response.status_code))
            assert response.status_code == 401, (method, path, response.json)
            assert response.json["message"]
    assert len(checked) >= 8


def test_every_4xx_carries_a_message_and_a_422_names_each_field(
    client: FlaskClient, anna: dict[str, str]
) -> None:
    bad_json = client.post(
        "/api/v1/cases", data="{not json", content_type="application/json", headers=anna
    )
    assert bad_json.status_code == 400 and bad_json.json["message"]
    missing = client.post("/api/v1/cases", json={"answers": {}}, headers=anna)
    assert missing.status_code == 422 and missing.json["message"]
    assert set(missing.json["errors"]["json"]) == {"life_event", "consent"}
    nowhere = client.get("/api/v1/nothing-here")
    assert nowhere.status_code == 404 and nowhere.json["message"]
    wrong_method = client.delete("/api/v1/life-events")
    assert wrong_method.status_code == 405 and wrong_method.json["message"]
    evaluate = client.post("/api/v1/life-events/moving/evaluate", json={"answers": "x"})
    assert evaluate.status_code == 422 and evaluate.json["message"]
    assert "answers" in evaluate.json["errors"]["json"]


def test_a_valid_token_then_gets_the_422_of_its_body(client: FlaskClient) -> None:
    headers = token_for(client)
    response = client.post("/api/v1/cases", json={"life_event": 3}, headers=headers)
    assert response.status_code == 422 and "life_event" in response.json["errors"]["json"]


def test_a_nul_character_anywhere_is_a_400_on_every_database(
    client: FlaskClient, anna: dict[str, str]
) -> None:
    """PostgreSQL cannot hold U+0000 in text: the API refuses it before anything reads it."""
    body = {"life_event": "moving", "answers": {**example(client), "new_street": "a\x00"}}
    refused = [
        client.get("/api/v1/cases/a%00b", headers=anna),
        client.get("/api/v1/me/data-shares?agency=a%00b", headers=anna),
        client.post("/api/v1/cases", json={**body, "consent": True}, headers=anna),
        client.post("/api/v1/life-events/moving/evaluate", json={"answers": {"\x00": 1}}),
    ]
    for response in refused:
        assert response.status_code == 400, response.json
        assert "NUL" in response.json["message"]


def test_json_nested_too_deeply_is_a_400_and_who_calls_still_comes_first(
    client: FlaskClient, anna: dict[str, str]
) -> None:
    deep = '{"answers": {"moving_along": ' + "[" * 5000 + "]" * 5000 + "}}"
    evaluate = client.post(
        "/api/v1/life-events/moving/evaluate", data=deep, content_type="application/json"
    )
    assert evaluate.status_code == 400 and evaluate.json["message"]
    fairly = '{"answers": {"a": ' + "[" * 40 + "]" * 40 + "}}"  # parses, but deeper than 32
    cases = client.post("/api/v1/cases", data=fairly, content_type="application/json", headers=anna)
    assert cases.status_code == 400 and cases.json["message"]
    anonymous = client.post("/api/v1/cases", data=deep, content_type="application/json")
    assert anonymous.status_code == 401

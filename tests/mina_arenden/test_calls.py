"""How the forwarding service calls: its key (and a change of key), the correlation id that
follows the call into the logs, the content type, and every limit of the query, each refused
with a 400 whose message names the field."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from contactpoint.config import load_config
from contactpoint.platform.observability.logs import JsonFormatter
from tests.conftest import MINA_ARENDEN_KEY
from tests.mina_arenden.conftest import (
    ASKER,
    CORRELATION_ID,
    URL,
    Known,
    ask,
    case_party,
    customer,
    headers,
    query,
    types_of,
)

OLD_KEY = "old-key-of-the-forwarding-service-000000000"
NEW_KEY = "new-key-of-the-forwarding-service-111111111"
PERSON = customer("198503122387")


@pytest.fixture()
def configured(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Set MINA_ARENDEN_API_KEYS as an operator does, and read it as the app's start does."""
    before = app.config["MINA_ARENDEN_KEY_HASHES"]

    def keys(value: str) -> None:
        monkeypatch.setenv("MINA_ARENDEN_API_KEYS", value)
        app.config["MINA_ARENDEN_KEY_HASHES"] = load_config(app.instance_path)[
            "MINA_ARENDEN_KEY_HASHES"
        ]

    yield keys
    app.config["MINA_ARENDEN_KEY_HASHES"] = before


def _refused(response: Any, status: int, *words: str) -> str:
    assert response.status_code == status, response.json
    assert set(response.json) == {"message"}, "the standard's error: a message only"
    message = str(response.json["message"])
    assert all(word in message for word in words), message
    return message


def test_a_call_without_a_key_or_with_a_wrong_one_is_401_before_its_body_is_read(
    client: FlaskClient,
) -> None:
    _refused(ask(client, query(PERSON), **{"X-API-Key": None}), 401, "X-API-Key")
    _refused(ask(client, {"nonsense": 1}, **{"X-API-Key": "x" * 40}), 401, "X-API-Key")
    response = client.post(URL, data="{not json", headers=headers(**{"X-API-Key": None}))
    _refused(response, 401)


def test_without_a_key_configured_the_query_is_not_offered(app: Flask, client: FlaskClient) -> None:
    before = app.config["MINA_ARENDEN_KEY_HASHES"]
    app.config["MINA_ARENDEN_KEY_HASHES"] = ()
    try:
        _refused(ask(client, query(PERSON)), 404)
        _refused(ask(client, query(PERSON), **{"X-API-Key": None}), 404)
    finally:
        app.config["MINA_ARENDEN_KEY_HASHES"] = before
    assert ask(client, query(PERSON)).status_code == 200


def test_two_keys_both_work_while_changing_and_the_removed_one_is_refused(
    client: FlaskClient, configured: Any
) -> None:
    configured(OLD_KEY)
    assert ask(client, query(PERSON), **{"X-API-Key": OLD_KEY}).status_code == 200
    _refused(ask(client, query(PERSON), **{"X-API-Key": NEW_KEY}), 401)
    configured(f"{OLD_KEY}, {NEW_KEY}")  # the new key added
    assert ask(client, query(PERSON), **{"X-API-Key": OLD_KEY}).status_code == 200
    assert ask(client, query(PERSON), **{"X-API-Key": NEW_KEY}).status_code == 200
    configured(NEW_KEY)  # the old one removed
    _refused(ask(client, query(PERSON), **{"X-API-Key": OLD_KEY}), 401)
    assert ask(client, query(PERSON), **{"X-API-Key": NEW_KEY}).status_code == 200
    _refused(ask(client, query(PERSON), **{"X-API-Key": MINA_ARENDEN_KEY}), 401)


@pytest.mark.parametrize(
    "correlation_id",
    [None, "", "   ", "x" * 201, "tab\there", "åäö-1"],
)
def test_the_correlation_id_is_required_printable_ascii_of_200_characters_at_most(
    client: FlaskClient, correlation_id: str | None
) -> None:
    response = ask(client, query(PERSON), skv_client_correlation_id=correlation_id)
    _refused(response, 400, "skv_client_correlation_id")


def test_a_correlation_id_of_200_printable_characters_is_taken(client: FlaskClient) -> None:
    assert (
        ask(client, query(PERSON), skv_client_correlation_id="a~ " * 66 + "zz").status_code == 200
    )


def test_a_query_not_sent_as_json_is_415_and_a_body_that_is_not_json_400(
    client: FlaskClient,
) -> None:
    text = client.post(
        URL, data=json.dumps(query(PERSON)), headers=headers(), content_type="text/plain"
    )
    _refused(text, 415, "application/json")
    form = client.post(URL, data={"fraga": "x"}, headers=headers())
    _refused(form, 415)
    broken = client.post(URL, data="{not json", headers=headers(), content_type="application/json")
    _refused(broken, 400, "not JSON")
    listed = client.post(URL, json=[1, 2], headers=headers())
    _refused(listed, 400, "Bad request")
    deep = client.post(
        URL, data="[" * 40 + "]" * 40, headers=headers(), content_type="application/json"
    )
    _refused(deep, 400, "nests deeper than 32 levels")


def test_the_apis_own_refusal_of_a_nul_character_is_a_message_alone_here_too(
    client: FlaskClient,
) -> None:
    nul = ask(client, query(customer("198503122387"), taggar=["mov\u0000ing"]))
    _refused(nul, 400, "NUL character")  # refused before the view, for every address


def _parties(count: int) -> list[dict[str, Any]]:
    return [customer(f"19000101{number:04d}") for number in range(count)]


def _sorted(paging: dict[str, Any]) -> dict[str, Any]:
    return {"sortering": [{"attribut": "TIDPUNKT", "stigande": True}], "paginering": paging}


BAD_QUERIES: list[tuple[str, dict[str, Any], str]] = [
    ("no fraga", {"anvandare": ASKER}, "fraga"),
    ("no anvandare", {"fraga": {"parter": [PERSON]}}, "anvandare"),
    ("anvandare", {"fraga": {"parter": [PERSON]}, "anvandare": "19850312-2387"}, "anvandare"),
    ("no parties", query(), "fraga.parter"),
    ("101 parties", query(*_parties(101)), "fraga.parter"),
    ("an empty party", query({}), "fraga.parter[0]"),
    ("11 digits", query(customer("19850312238")), "fraga.parter[0].kund.identifierare"),
    ("a hyphen", query(customer("19850312-238")), "fraga.parter[0].kund.identifierare"),
    ("customer type", query(customer("198503122387", "Kundnummer")), "fraga.parter[0].kund.typ"),
    (
        "tillagg",
        query(
            {"kund": {"identifierare": "198503122387", "typ": "Personnummer", "tillagg": "1" * 21}}
        ),
        "fraga.parter[0].kund.tillagg",
    ),
    ("case type", query(case_party("KP-1", "Ordernummer")), "fraga.parter[0].arende.typ"),
    ("case id", query(case_party("K" * 101)), "fraga.parter[0].arende.identifierare"),
    (
        "101 types",
        query(PERSON, kundhandelseTyper=["KONTAKTPUNKT"] * 101),
        "fraga.kundhandelseTyper",
    ),
    (
        "a type",
        query(PERSON, kundhandelseTyper=["kontaktpunkt.moving"]),
        "fraga.kundhandelseTyper[0]",
    ),
    ("101 tags", query(PERSON, taggar=["moving"] * 101), "fraga.taggar"),
    ("an empty tag", query(PERSON, taggar=[""]), "fraga.taggar[0]"),
    ("a start", query(PERSON, startDatum="2026-1-5"), "fraga.startDatum"),
    ("no such day", query(PERSON, slutDatum="2026-02-30"), "fraga.slutDatum"),
    (
        "start after end",
        query(PERSON, startDatum="2026-03-02", slutDatum="2026-03-01"),
        "fraga.startDatum",
    ),
    (
        "an attribute",
        query(PERSON, behandling={"sortering": [{"attribut": "DATUM", "stigande": True}]}),
        "fraga.behandling.sortering[0].attribut",
    ),
    (
        "rising",
        query(PERSON, behandling={"sortering": [{"attribut": "RUBRIK"}]}),
        "fraga.behandling.sortering[0].stigande",
    ),
    (
        "pages without a sorting",
        query(PERSON, behandling={"paginering": {"offset": 0, "limit": 10}}),
        "fraga.behandling.paginering",
    ),
    ("a limit of 0", query(PERSON, behandling=_sorted({"offset": 0, "limit": 0})), "limit"),
    ("a limit of 1001", query(PERSON, behandling=_sorted({"offset": 0, "limit": 1001})), "limit"),
    ("an offset below 0", query(PERSON, behandling=_sorted({"offset": -1})), "offset"),
    ("no offset", query(PERSON, behandling=_sorted({"limit": 5})), "offset"),
    ("an offset as text", query(PERSON, behandling=_sorted({"offset": "0"})), "offset"),
]


@pytest.mark.parametrize(
    ("case", "body", "field"), BAD_QUERIES, ids=[c for c, _b, _f in BAD_QUERIES]
)
def test_each_limit_of_the_query_is_a_400_naming_the_field(
    client: FlaskClient, case: str, body: dict[str, Any], field: str
) -> None:
    message = _refused(ask(client, body), 400, "Bad request")
    assert f"{field}:" in message


def test_the_limits_themselves_are_allowed(client: FlaskClient) -> None:
    body = query(
        *_parties(100),
        kundhandelseTyper=["KONTAKTPUNKT"] * 100,
        taggar=["moving"] * 100,
        behandling=_sorted({"offset": 0, "limit": 1000}),
    )
    found = ask(client, body)
    assert found.status_code == 200 and len(found.json["kundhandelser"]) == 100
    assert len(found.json["delfragor"]) == 100


def test_the_prefix_of_the_types_is_the_operators(
    app: Flask, client: FlaskClient, known: Known
) -> None:
    app.config["MINA_ARENDEN_PREFIX"] = "KOMMUNX"
    try:
        types = types_of(ask(client, query(case_party(known.moving))))
        asked = ask(client, query(case_party(known.moving), kundhandelseTyper=["KOMMUNX.MOVING"]))
    finally:
        app.config["MINA_ARENDEN_PREFIX"] = "KONTAKTPUNKT"
    assert types and all(t.startswith("KOMMUNX.MOVING.") for t in types)
    assert asked.json["kundhandelser"][0]["totaltAntalKundhandelser"] == len(types)


def test_the_correlation_id_follows_the_call_into_the_logs_and_no_personal_number_does(
    client: FlaskClient, known: Known, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    caplog.handler.setFormatter(JsonFormatter())  # as production writes them, at the time
    numbers = (known.parent, known.child, ASKER)
    ask(client, query(customer(known.parent), customer(known.child)))
    ask(client, query(customer(known.child), kundhandelseTyper=["bad"]))
    lines = [json.loads(line) for line in caplog.text.splitlines() if line.startswith("{")]
    ours = [line for line in lines if line["logger"] == "contactpoint.mina_arenden.views"]
    assert len(ours) == 2 and all(line["correlation_id"] == CORRELATION_ID for line in ours)
    assert "2 parties, 17 events" in ours[0]["message"]
    assert "fraga.kundhandelseTyper[0]" in ours[1]["message"]
    said = " ".join(record.getMessage() for record in caplog.records) + caplog.text
    for number in numbers:
        assert number not in said and f"{number[:8]}-{number[8:]}" not in said

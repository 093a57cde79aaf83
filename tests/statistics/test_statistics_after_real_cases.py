"""The statistics of real cases, sent through the API and carried out by the real worker, on
SQLite and PostgreSQL: counted when their month is over, small counts left out, the same
figures as JSON, CSV and on the page, with metadata a data portal harvests."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
from typing import Any

import pytest
from pyld import jsonld

from agencies import clock
from tests.conftest import wait_until
from tests.helpers.statements import statements_of
from workflows.statistics import month_bounds, month_of
from workflows.statistics.tasks import roll_up_statistics

from .conftest import StatisticsCluster, finished, roll_up_after, submit

MOVING, OTHER = 12, 3
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"


@pytest.fixture(scope="module")
def released(cluster: StatisticsCluster) -> dict[str, Any]:
    """Cases of two life events carried out, feedback given, then the month rolled up."""
    client = cluster.client()
    month = month_of(clock.now())
    moving = submit(client, "moving", MOVING)
    other = submit(client, "bereavement", OTHER)
    cases = {}
    for case_id, headers in moving + other:
        cases[case_id] = wait_until(lambda c=case_id, h=headers: finished(client, c, h), 120)
    ease = [5, 4, 5, 3, 5, 4, 5, 5, 4, 5, 2, 5]
    for (case_id, headers), score in zip(moving, ease, strict=True):
        given = client.post(
            f"/api/v1/cases/{case_id}/feedback", json={"ease": score}, headers=headers
        )
        assert given.status_code == 201, given.json
    if month_of(clock.now()) != month:
        pytest.skip("the month ended while the cases ran: their figures span two months")
    return {"month": month, "cases": cases, "ease": ease}


def test_nothing_is_published_while_the_month_runs(
    cluster: StatisticsCluster, released: dict[str, Any]
) -> None:
    client = cluster.client()
    with cluster.app.app_context():
        assert roll_up_statistics() == []  # the month has not ended
    document = client.get("/api/v1/statistics").json
    assert document["life_events"] == [] and document["released_at"] is None
    assert document["licence"]["id"] == "CC0-1.0"
    rows = client.get("/api/v1/statistics.csv").get_data(as_text=True).splitlines()
    assert rows == ["life_event,period,step,agency,measure,value,marker"]
    page = client.get("/statistik?lang=en").get_data(as_text=True)
    assert "There are no figures yet." in page


def test_the_openapi_document_describes_the_statistics(cluster: StatisticsCluster) -> None:
    spec = cluster.client().get("/api/v1/openapi.json").json
    paths = spec["paths"]
    ok = paths["/api/v1/statistics"]["get"]["responses"]["200"]["content"]["application/json"]
    schema = spec["components"]["schemas"][ok["schema"]["$ref"].rsplit("/", 1)[1]]
    assert {"life_events", "all_life_events", "suppression", "licence"} <= set(schema["properties"])
    month = spec["components"]["schemas"]["MonthFigures"]["properties"]
    assert {"submitted", "completed", "withdrawn", "automated_share", "steps", "suppressed"} <= set(
        month
    )
    assert month["submitted"]["type"] == ["integer", "null"] or month["submitted"].get("nullable")
    csv_ok = paths["/api/v1/statistics.csv"]["get"]["responses"]["200"]["content"]
    assert "text/csv" in csv_ok
    dcat_ok = paths["/api/v1/statistics/dcat.jsonld"]["get"]["responses"]["200"]["content"]
    assert "application/ld+json" in dcat_ok


def test_the_month_is_released_with_small_counts_left_out(
    cluster: StatisticsCluster, released: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    month = released["month"]
    assert roll_up_after(month, monkeypatch, cluster.app) == [month]
    assert roll_up_after(month, monkeypatch, cluster.app) == []  # once
    client = cluster.client()
    document = client.get("/api/v1/statistics").json
    events = {event["id"]: event for event in document["life_events"]}
    (moving,) = events["moving"]["periods"]
    (other,) = events["bereavement"]["periods"]
    (total,) = document["all_life_events"]["periods"]
    assert moving["period"] == other["period"] == total["period"] == month
    # Three bereavement cases: too few. Twelve moving cases would give them away with the
    # total, so they are left out too, with the same marker; the total of 15 is published.
    assert total["submitted"] == MOVING + OTHER
    for entry in (moving, other):
        assert entry["submitted"] is None and entry["suppressed"]["submitted"] == "small_counts"
    assert total["completed"] == MOVING + OTHER
    assert total["withdrawn"] == 0 and moving["withdrawn"] == 0
    # Every moving step done in the month, each step's count and times, and the feedback.
    cases = [case for case in released["cases"].values() if case["life_event"] == "moving"]
    done = [step for case in cases for step in case["steps"] if step["status"] == "done"]
    assert moving["steps_done"] == len(done)
    by_step = {(s["step"], s["agency"]): s for s in moving["steps"]}
    assert {key: s["done"] for key, s in by_step.items()} == {
        (step["key"], step["agency"]): MOVING for step in done
    }
    for step in by_step.values():
        assert 0 <= step["median_seconds"] <= step["p90_seconds"] < 600
    assert 0 <= moving["automated_share"] <= 1
    assert moving["feedback_responses"] == MOVING
    assert moving["ease_mean"] == round(sum(released["ease"]) / MOVING, 2)
    assert other["feedback_responses"] == 0 and other["suppressed"]["ease_mean"] == "no_cases"
    assert moving["steps_failed"] == 0 and moving["steps_retried"] == 0


def test_the_csv_holds_the_same_figures(
    cluster: StatisticsCluster, released: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    roll_up_after(released["month"], monkeypatch, cluster.app)
    client = cluster.client()
    response = client.get("/api/v1/statistics.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    document = client.get("/api/v1/statistics").json
    published = 0
    for event in [*document["life_events"], {"id": "all", **document["all_life_events"]}]:
        for period in event["periods"]:
            for measure, value in period.items():
                if measure in ("period", "suppressed", "steps"):
                    continue
                (row,) = [
                    r for r in rows
                    if (r["life_event"], r["period"], r["measure"], r["step"])
                    == (event["id"], period["period"], measure, "")
                ]  # fmt: skip
                assert row["marker"] == period["suppressed"].get(measure, "")
                assert row["value"] == ("" if value is None else str(value))
                published += value is not None
    assert published > 20
    left_out = [r for r in rows if r["marker"] == "small_counts"]
    assert left_out and all(r["value"] == "" for r in left_out)


def test_the_read_is_one_statement_and_can_be_kept(
    cluster: StatisticsCluster, released: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    roll_up_after(released["month"], monkeypatch, cluster.app)
    client = cluster.client()
    client.get("/api/v1/statistics")  # warm
    responses: list[Any] = []
    sent = statements_of(lambda: responses.append(client.get("/api/v1/statistics")))
    assert len(sent) == 1, sent
    (response,) = responses
    again = client.get("/api/v1/statistics", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert "public" in response.headers["Cache-Control"]
    # Gzipped once at the release, for the clients that accept it: still one statement.
    zipped: list[Any] = []
    gzip_asked = {"Accept-Encoding": "gzip, deflate"}
    sent = statements_of(
        lambda: zipped.append(client.get("/api/v1/statistics", headers=gzip_asked))
    )
    assert len(sent) == 1
    assert zipped[0].headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped[0].get_data()) == response.get_data()
    assert "Accept-Encoding" in zipped[0].headers["Vary"]


def test_the_metadata_is_dcat_ap_json_ld_with_what_a_portal_needs(
    cluster: StatisticsCluster, released: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    month = released["month"]
    roll_up_after(month, monkeypatch, cluster.app)
    client = cluster.client()
    response = client.get("/api/v1/statistics/dcat.jsonld")
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    expanded = jsonld.expand(json.loads(response.get_data(as_text=True)))  # offline: inline context
    nodes = {node["@id"]: node for node in jsonld.flatten(expanded)}
    (catalogue,) = [n for n in nodes.values() if f"{DCAT}Catalog" in n.get("@type", [])]
    (dataset,) = [n for n in nodes.values() if f"{DCAT}Dataset" in n.get("@type", [])]
    assert catalogue[f"{DCAT}dataset"] == [{"@id": dataset["@id"]}]
    for prop in ("title", "description"):
        languages = {value["@language"] for value in dataset[f"{DCT}{prop}"]}
        assert languages == {"sv", "en"}
    assert dataset[f"{DCT}license"] == [
        {"@id": "http://creativecommons.org/publicdomain/zero/1.0/"}
    ]
    frequency = "http://publications.europa.eu/resource/authority/frequency/MONTHLY"
    assert dataset[f"{DCT}accrualPeriodicity"] == [{"@id": frequency}]
    publisher = nodes[dataset[f"{DCT}publisher"][0]["@id"]]
    assert publisher["http://xmlns.com/foaf/0.1/name"][0]["@value"] == "Kontaktpunkt"
    temporal = nodes[dataset[f"{DCT}temporal"][0]["@id"]]
    assert temporal[f"{DCAT}startDate"][0]["@value"] == f"{month}-01"
    last_day = month_bounds(month)[1].astimezone(clock.SWEDEN).date() - dt.timedelta(days=1)
    assert temporal[f"{DCAT}endDate"][0]["@value"] == last_day.isoformat()
    distributions = [nodes[d["@id"]] for d in dataset[f"{DCAT}distribution"]]
    media = {d[f"{DCAT}mediaType"][0]["@id"].rsplit("/", 2)[-2:][1] for d in distributions}
    assert media == {"json", "csv"}
    for distribution in distributions:
        url = distribution[f"{DCAT}accessURL"][0]["@id"]
        assert client.get(url.removeprefix("http://localhost")).status_code == 200
    page = client.get("/statistik").get_data(as_text=True)
    assert 'rel="alternate" type="application/ld+json"' in page

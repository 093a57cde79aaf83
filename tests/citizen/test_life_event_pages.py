"""The journeys of the other life events in the pages: addresses, acting for others, feedback."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import example, token_for, wait_until
from tests.helpers.pages import csrf, forget_drafts, login, post_page

KARIN, SARA, ANNA = "19440225-3274", "19920604-2823", "19850312-2387"


def begin(client: FlaskClient, event_id: str) -> str:
    start = client.get(f"/life-events/{event_id}").get_data(as_text=True)
    response = client.post(f"/life-events/{event_id}/begin", data={"csrf_token": csrf(start)})
    return response.headers["Location"]


def test_someone_who_is_not_a_member_of_the_estate_is_told_so_and_stays(
    client: FlaskClient,
) -> None:
    login(client, ANNA)
    url = begin(client, "bereavement")
    assert url.endswith("/questions/deceased")
    status, _, html = post_page(client, url + "?lang=sv", {"deceased": "19410830-4132"})
    assert status == 422
    assert "inte är delägare i dödsboet" in html and 'href="#deceased"' in html
    assert 'value="19410830-4132"' in html
    client.get("/?lang=en")
    status, _, html = post_page(client, url, {"deceased": "19410830-4132"})
    assert status == 422 and "not list you as a member of the estate" in html


def test_a_member_of_the_estate_sees_the_dated_next_step_before_sending(
    client: FlaskClient,
) -> None:
    login(client, KARIN)
    client.get("/?lang=en")
    begin(client, "bereavement")
    for data in (  # the date of death, his car and no business: the registers say them
        {"deceased": "19410830-4132"},
        {"received": ["pension", "housing_supplement"]},
        {"estate_small": "no"},
        {"survivor_pension": "no"},
    ):
        page = f"/life-events/bereavement/questions/{next(iter(data))}"
        status, location, html = post_page(client, page, data)
        assert status == 302, html
    assert location.endswith("/check")
    check = client.get(location).get_data(as_text=True)
    assert "19410830-4132 (Gustav Berg)" in check
    assert 'data-deadline="2027-01-28"' in check and "Hold the estate inventory by" in check
    assert "Pensionsmyndigheten" in check and "Transportstyrelsen" in check
    assert "CSN" not in check  # no student finance: CSN hears nothing
    assert "Told automatically by the population register." in check  # the pension


def test_an_address_keeps_what_was_typed_and_names_the_part_to_fix(client: FlaskClient) -> None:
    login(client, "19700101-6356")
    client.get("/?lang=sv")
    url = begin(client, "start-business")
    answers = [
        {"business_form": "sole_trader"},
        {"business_name": "Johans Cykelservice"},
        {"register_name": "no"},
        {"business_activity": "Cykelreparationer"},
    ]
    location = url
    for data in answers:
        status, location, html = post_page(client, location, data)
        assert status == 302, html
    assert location.endswith("/questions/business_address")
    typed = {
        "business_address.street": "Hamngatan 2",
        "business_address.postal_code": "2112",
        "business_address.city": "Malmö",
    }
    status, _, html = post_page(client, location, typed)
    assert status == 422
    assert "Skriv ett postnummer med fem siffror" in html and 'href="#business_address"' in html
    assert 'value="Hamngatan 2"' in html and 'value="2112"' in html and 'value="Malmö"' in html
    status, location, _ = post_page(
        client, location, {**typed, "business_address.postal_code": "21122"}
    )
    assert status == 302 and location.endswith("/questions/start_date")


def test_a_guardian_finishes_a_new_baby_journey_and_gives_feedback(
    app: Flask, client: FlaskClient, worker: subprocess.Popen[bytes]
) -> None:
    login(client, SARA)
    client.get("/?lang=en")
    location = begin(client, "new-baby")
    pages = [
        {"child": "child-2026-1"},  # Leo, chosen by his key on the page
        {"report_name": "no"},
        {"parental_benefit": "yes"},
        {"benefit_start": "2027-01-04", "benefit_days_per_week": "9", "benefit_extent": "full"},
    ]
    for data in pages:
        status, next_location, html = post_page(client, location, data)
        if status == 422:
            break
        location = next_location
    assert status == 422 and "Enter a number from 1 to 7" in html and 'value="9"' in html
    for data in (
        {"benefit_start": "2027-01-04", "benefit_days_per_week": "5", "benefit_extent": "half"},
        {"split_child_allowance": "no"},
        {"preschool_queue": "no"},
    ):
        status, location, html = post_page(client, location, data)
        assert status == 302, html
    check = client.get(location).get_data(as_text=True)
    assert "You do not need to apply" in check  # child allowance needs no application
    status, case_url, _ = post_page(client, location, {"consent": "yes"})
    assert status == 302
    page = client.get(case_url).get_data(as_text=True)
    assert "On behalf of: Leo Ek" in page and "How easy was it to do this?" in page
    assert 'name="ease"' in page and "/feedback" in page

    feedback_url = case_url.split("?")[0] + "/feedback"
    status, _, html = post_page(client, feedback_url, {"comment": "Smooth"})
    assert status == 422 and "Choose how easy or difficult it was" in html and "Smooth" in html
    status, location, _ = post_page(client, feedback_url, {"ease": "4", "comment": "Smooth"})
    assert status == 302
    assert "Thank you for your feedback" in client.get(location).get_data(as_text=True)
    wait_until(lambda: "done" in client.get(case_url).get_data(as_text=True), timeout_s=60)


@pytest.fixture()
def admin(app: Flask) -> Iterator[str]:
    saved = app.config["ADMINS"]
    app.config["ADMINS"] = [KARIN]
    yield KARIN
    app.config["ADMINS"] = saved


def test_feedback_is_stored_per_life_event_and_read_only_by_administrators(
    app: Flask, client: FlaskClient, admin: str
) -> None:
    anna = token_for(client, ANNA)
    body = {"life_event": "moving", "answers": example(client), "consent": True}
    case_id = client.post("/api/v1/cases", json=body, headers=anna).json["id"]
    url = f"/api/v1/cases/{case_id}/feedback"
    assert client.post(url, json={"ease": 9}, headers=anna).status_code == 422
    given = client.post(url, json={"ease": 2, "comment": "Too many questions"}, headers=anna)
    assert given.status_code == 201
    other = token_for(client, "19700101-6356")
    assert client.post(url, json={"ease": 5}, headers=other).status_code == 404

    assert client.get("/api/v1/admin/feedback", headers=anna).status_code == 403
    read = client.get("/api/v1/admin/feedback?life_event=moving", headers=token_for(client, admin))
    assert read.status_code == 200
    assert any(entry["comment"] == "Too many questions" for entry in read.json["feedback"])
    assert all(entry["life_event"] == "moving" for entry in read.json["feedback"])
    assert "case_id" not in read.json["feedback"][0]
    moving = next(s for s in read.json["life_events"] if s["life_event"] == "moving")
    assert moving["count"] >= 1 and moving["by_ease"]["2"] >= 1

    login(client, ANNA)
    assert client.get("/admin/feedback").status_code == 403
    login(client, admin)
    page = client.get("/admin/feedback?life_event=moving&lang=en").get_data(as_text=True)
    assert "Too many questions" in page and "Moving house" in page


def test_the_open_rules_evaluate_dated_steps_without_login(client: FlaskClient) -> None:
    answers = example(client, "bereavement")
    response = client.post(
        "/api/v1/life-events/bereavement/evaluate?lang=en", json={"answers": answers}
    )
    assert response.status_code == 200
    steps = {step["id"]: step for step in response.json["steps"]}
    assert steps["estate-inventory"]["deadline"] == "2027-01-28"
    assert steps["estate-inventory"]["status"] == "not_needed"
    assert steps["pension"]["status"] == "not_needed" and steps["pension"]["fields"] == []
    assert steps["pension"]["told_by"] == "Told automatically by the population register."
    assert steps["vehicle"]["fields"] == ["personal_number", "name", "deceased", "date_of_death"]
    detail = client.get("/api/v1/life-events/new-baby").json
    assert detail["on_behalf_of"] == {"question": "child", "relation": "guardian"}


def test_a_date_of_death_in_the_future_is_refused(client: FlaskClient) -> None:
    # The population register gives the date of death; one given in its place is checked.
    answers = {**example(client, "bereavement"), "date_of_death": "2099-01-01"}
    response = client.post("/api/v1/life-events/bereavement/evaluate", json={"answers": answers})
    assert response.status_code == 422
    assert response.json["errors"]["answers"]["date_of_death"] == [
        "The date cannot be in the future."
    ]


def test_an_amount_is_taken_as_people_write_it_and_shown_grouped(
    app: Flask, client: FlaskClient
) -> None:
    forget_drafts(app, "19700101-6356")
    login(client, "19700101-6356")
    client.get("/?lang=sv")
    location = begin(client, "start-business")
    for data in (
        {"business_form": "limited_company"},
        {"business_name": "Nilsson Cykel AB"},
        {"business_activity": "Cykelreparationer"},
        {
            "business_address.street": "Hamngatan 2",
            "business_address.postal_code": "211 22",
            "business_address.city": "Malmö",
        },
        {"start_date": "2027-03-01"},
    ):
        status, location, html = post_page(client, location, data)
        assert status == 302, html
    assert location.endswith("/questions/share_capital")
    for refused in ("1e9", "inf", "NaN"):
        status, _, html = post_page(client, location, {"share_capital": refused})
        assert status == 422, refused
        assert "Skriv talet med siffror, till exempel 25\u00a0000" in html
    status, _, html = post_page(client, location, {"share_capital": "20 000"})
    assert status == 422 and "minst 25\u00a0000" in html
    status, after, html = post_page(client, location, {"share_capital": "25\u00a0000 kr"})
    assert status == 302, html
    client.get("/?lang=en")
    status, after, html = post_page(client, location, {"share_capital": "1,250,000"})
    assert status == 302, html
    for data in (
        {"ownership_share": "100"},
        {"vat_liable": "no"},
        {"employs": "no"},
        {"handles_food": "no"},
    ):
        status, after, html = post_page(client, after, data)
        assert status == 302, html
    check = client.get("/life-events/start-business/check").get_data(as_text=True)
    assert "1,250,000" in check
    client.get("/?lang=sv")
    check = client.get("/life-events/start-business/check").get_data(as_text=True)
    assert "1\u00a0250\u00a0000" in check

"""The company's My pages without a browser: a representative sees the company's cases with
who sent each and on what basis; a signatory's power-of-attorney form keeps what was typed and
says what to fix, then gives and revokes it; anyone else is refused in plain words."""

from __future__ import annotations

import datetime as dt
import re

from flask.testing import FlaskClient

from agencies.clock import today
from tests.helpers.business import give_power, hire_for
from tests.helpers.pages import csrf, login

JOHAN, PER, KARIN = "19700101-6356", "19810214-2356", "19440225-3274"
NILSSONS, EKSTROM_LUND = "700101-6356", "556612-3450"


def test_a_person_with_no_right_is_refused_in_plain_words(client: FlaskClient) -> None:
    login(client, KARIN)
    page = client.get(f"/my-pages/companies/{EKSTROM_LUND}?lang=en")
    assert page.status_code == 403
    html = page.get_data(as_text=True)
    assert "does not list you as signing for Ekström &amp; Lund Bygg AB" in html
    assert 'id="company-cases"' not in html and 'id="grant"' not in html
    listed = client.get("/my-pages/companies?lang=sv").get_data(as_text=True)
    assert 'id="no-companies"' in listed
    token = csrf(client.get("/my-pages?lang=en").get_data(as_text=True))
    given = client.post(
        f"/my-pages/companies/{EKSTROM_LUND}/powers",
        data={"csrf_token": token, "holder": KARIN, "valid_until": "2027-01-01"},
    )
    assert given.status_code == 403


def test_a_joint_signatory_sees_the_company_and_its_power_of_attorney(
    client: FlaskClient,
) -> None:
    case = hire_for(client, "19780923-1249", EKSTROM_LUND).json["id"]
    login(client, PER)
    listed = client.get("/my-pages/companies?lang=en").get_data(as_text=True)
    assert f'data-organisation="{EKSTROM_LUND}"' in listed
    html = client.get(f"/my-pages/companies/{EKSTROM_LUND}?lang=sv").get_data(as_text=True)
    assert 'data-basis="joint_signatory"' in html
    assert "Två måste skriva under för företaget." in html
    assert 'data-power="testpopulationpowerofattorney001" data-state="in_force"' in html
    waiting = html.split(f'data-case="{case}"')[1].split("</li>\n  {% endfor")[0]
    assert "data-confirm=" in waiting.split("</ul>")[0]  # Per is asked, on the company's page


def test_the_power_of_attorney_form_keeps_what_was_typed_then_gives_and_revokes(
    client: FlaskClient,
) -> None:
    login(client, JOHAN)
    path = f"/my-pages/companies/{NILSSONS}"
    token = csrf(client.get(path).get_data(as_text=True))
    wrong = client.post(
        f"{path}/powers?lang=en",
        data={"csrf_token": token, "holder": "19440225-327", "valid_until": "soon"},
    )
    assert wrong.status_code == 422
    html = wrong.get_data(as_text=True)
    assert 'value="19440225-327"' in html and 'value="soon"' in html
    assert "Write all 12 digits of the number" in html and "2027-12-31" in html
    until = (today() + dt.timedelta(days=10)).isoformat()
    no_event = client.post(
        f"{path}/powers?lang=en",
        data={"csrf_token": token, "holder": KARIN, "valid_until": until},
    )
    assert no_event.status_code == 422
    assert "Choose at least one thing" in no_event.get_data(as_text=True)
    given = client.post(
        f"{path}/powers",
        data={
            "csrf_token": token,
            "holder": KARIN,
            "life_events": "close-business",
            "valid_until": until,
        },
    )
    assert given.status_code == 302
    html = client.get(path).get_data(as_text=True)
    power = re.findall(r'data-power="(\w+)" data-state="in_force"', html)[0]
    revoked = client.post(f"{path}/powers/{power}/revoke", data={"csrf_token": token})
    assert revoked.status_code == 302
    html = client.get(path + "?lang=en").get_data(as_text=True)
    assert f'data-power="{power}" data-state="revoked"' in html
    assert 'data-kind="power_revoked"' in html


def test_a_revoked_power_of_attorney_stops_what_comes_next_not_what_was_done(
    client: FlaskClient,
) -> None:
    from tests.conftest import token_for

    johan = token_for(client, JOHAN)
    power = give_power(client, JOHAN, NILSSONS, KARIN, "hire-first-employee").json["id"]
    case = hire_for(client, KARIN, NILSSONS).json["id"]
    revoke = f"/api/v1/organisations/{NILSSONS}/powers-of-attorney/{power}/revoke"
    assert client.post(revoke, headers=johan).status_code == 200
    login(client, KARIN)
    assert client.get(f"/my-pages/cases/{case}").status_code == 200  # hers to read
    assert client.get(f"/my-pages/cases/{case}/withdraw").status_code == 403  # not to act on
    withdraw = client.post(f"/api/v1/cases/{case}/withdrawal", headers=token_for(client, KARIN))
    assert withdraw.status_code == 403 and withdraw.json["message"]


def test_a_business_life_event_on_the_pages_prefilled_from_the_company_register(
    client: FlaskClient,
) -> None:
    from tests.helpers.pages import forget_drafts, post_page

    forget_drafts(client.application, JOHAN, KARIN)
    login(client, KARIN)
    start = client.get("/life-events/close-business?lang=en").get_data(as_text=True)
    assert "You do this for the company" in start
    first = client.post("/life-events/close-business/begin", data={"csrf_token": csrf(start)})
    status, _, html = post_page(client, first.headers["Location"], {"organisation": NILSSONS})
    assert status == 422 and "You cannot do this for the company" in html  # refused at once
    assert f'value="{NILSSONS}"' in html  # what was typed is kept

    login(client, JOHAN)
    start = client.get("/life-events/close-business").get_data(as_text=True)
    location = client.post(
        "/life-events/close-business/begin", data={"csrf_token": csrf(start)}
    ).headers["Location"]
    status, location, html = post_page(client, location, {"organisation": NILSSONS})
    assert status == 302, html
    for data in ({"closing_date": "2027-06-30"}, {"has_employees": "no"}):
        status, location, html = post_page(client, location, data)
        assert status == 302, html
    assert location.endswith("/check")
    check = client.get(location + "?lang=en").get_data(as_text=True)
    assert "Nilssons Båtservice" in check  # from the company register, never asked
    assert "the company register" in check
    status, sent, html = post_page(client, location, {"consent": "yes"})
    assert status == 302, html
    case_id = sent.rstrip("/").split("/")[-1].split("?")[0]
    company = client.get(f"/my-pages/companies/{NILSSONS}").get_data(as_text=True)
    assert f'data-case="{case_id}"' in company
    forget_drafts(client.application, JOHAN, KARIN)


def test_withdrawing_a_companys_case_is_in_the_companys_log(client: FlaskClient) -> None:
    from tests.conftest import token_for

    lena = "19780923-1249"
    case = hire_for(client, lena, EKSTROM_LUND).json["id"]  # waits for Per's yes
    login(client, lena)
    path = f"/my-pages/cases/{case}/withdraw"
    withdrawn = client.post(
        path, data={"csrf_token": csrf(client.get(path).get_data(as_text=True))}
    )
    assert withdrawn.status_code == 302
    log = client.get(
        f"/api/v1/organisations/{EKSTROM_LUND}/log", headers=token_for(client, PER)
    ).json
    assert [(e["kind"], e["by"]) for e in log if e["case_id"] == case][0] == (
        "case_withdrawn",
        "Lena Ekström",
    )

"""The citizen answers an agency's question on My pages, and withdraws a case."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa

from contactpoint.db.models import CaseEvent, Step
from tests.conftest import ANNA, wait_until
from tests.helpers.pages import login

from .conftest import Cluster, submit_cases


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]*)"', html)
    assert match
    return match.group(1)


def _steps(cluster: Cluster, case_id: str) -> dict[str, tuple[str, str]]:
    rows = cluster.query(sa.select(Step.key, Step.status, Step.ball).where(Step.case_id == case_id))
    return {key: (status, ball) for key, status, ball in rows}


def test_a_complement_is_answered_on_my_pages_and_a_case_can_be_withdrawn(
    cluster_factory: Any,
) -> None:
    cluster = cluster_factory(CONTACTPOINT_AGENCY_COMPLEMENT_RATE="1")
    cluster.start_worker("citizen", concurrency=2)
    client = cluster.client()
    login(client, ANNA)  # through the simulated eID provider, as a browser
    asked, withdrawn = submit_cases(client, 2)

    def asking(case_id: str) -> bool:
        return _steps(cluster, case_id).get("change-of-address") == ("waiting", "citizen")

    wait_until(lambda: asking(asked) and asking(withdrawn), timeout_s=60)
    html = client.get(f"/my-pages/cases/{asked}").get_data(as_text=True)
    assert "We need to know more" in html
    ((step_id,),) = cluster.query(
        sa.select(Step.id).where(Step.case_id == asked, Step.key == "change-of-address")
    )
    url = f"/my-pages/cases/{asked}"  # the form posts to the case page itself
    assert f'action="{url}"' in html and f'name="step_id" value="{step_id}"' in html
    form = {"csrf_token": _csrf(html), "step_id": step_id}
    empty = client.post(url, data={**form, "answer": "  "})
    assert empty.status_code == 422
    answered = client.post(url, data={**form, "answer": "From 1 December"})
    assert answered.status_code == 302
    wait_until(lambda: _steps(cluster, asked)["change-of-address"][0] == "done", timeout_s=60)
    assert client.post(url, data={**form, "answer": "x"}).status_code == 422

    confirm = client.get(f"/my-pages/cases/{withdrawn}/withdraw").get_data(as_text=True)
    done = client.post(f"/my-pages/cases/{withdrawn}/withdraw", data={"csrf_token": _csrf(confirm)})
    assert done.status_code == 302
    ledger = cluster.app.extensions["ledger"]

    def ended() -> bool:
        statuses = [status for status, _ball in _steps(cluster, withdrawn).values()]
        return all(status in ("cancelled", "not_needed") for status in statuses)

    wait_until(ended, timeout_s=60)
    assert set(ledger.withdrawn_steps()) >= {
        step_id
        for (step_id,) in cluster.query(
            sa.select(Step.id).where(Step.case_id == withdrawn, Step.withdrawal == "sent")
        )
    }
    kinds = [
        kind
        for (kind,) in cluster.query(
            sa.select(CaseEvent.kind).where(CaseEvent.case_id == withdrawn)
        )
    ]
    assert "case_withdrawn" in kinds and "withdrawal_sent" in kinds and "step_cancelled" in kinds
    swedish = client.get(f"/my-pages/cases/{withdrawn}?lang=sv").get_data(as_text=True)
    assert "Ärendet återkallades." in swedish  # why the steps not begun were cancelled
    assert "Ett steg avbröts när du återkallade ditt ärende." in swedish  # in the timeline
    assert "withdrawn." not in swedish

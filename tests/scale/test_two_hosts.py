"""Two workers, as on two hosts, each serving its own agencies' queues, carry 50 cases to done."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import psycopg
import pytest

from agencies.catalogue import queue_for
from agencies.sandbox import Ledger
from contactpoint.bench.ours import automatic_answers
from contactpoint.db.protection import seal_number
from tests.conftest import ANNA

from .conftest import PERSONAL_DATA_KEY, Deployment, free_port, wait_until

# The municipalities share one queue: host A serves both that a move reaches.
HOST_A = ["skatteverket", "kommun_0380", "kommun_0180"]
HOST_B = ["forsakringskassan", "csn", "transportstyrelsen", "pensionsmyndigheten", "bolagsverket"]
CASES = 50


def _request(port: int, path: str, body: Any = None, token: str | None = None) -> Any:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data, headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        raw = response.read()
        kind = response.headers.get("Content-Type", "")
        return json.loads(raw) if "json" in kind else raw.decode()


def _answering(port: int, path: str) -> Any:
    try:
        return _request(port, path)
    except OSError:
        return None


def _prepare(deployment: Deployment) -> str:
    """Migrate as a release does, load the test population, and return Anna's person id."""
    command = [str(Path(sys.executable).parent / "contactpoint")]
    for arguments, env in (
        (["db", "upgrade"], {}),
        (["seed"], {"CONTACTPOINT_ENV": "development"}),
    ):
        subprocess.run(
            [*command, *arguments], env=deployment.env(**env), check=True, capture_output=True
        )
    sealed = seal_number(ANNA, secret=PERSONAL_DATA_KEY)  # as every host seals it
    with psycopg.connect(deployment.database_url) as conn:
        row = conn.execute("SELECT id FROM people WHERE personal_number = %s", (sealed,)).fetchone()
        clear = conn.execute(
            "SELECT count(*) FROM people WHERE personal_number ~ '[0-9]{6}[-+]?[0-9]{4}'"
        )
        assert clear.fetchone() == (0,)  # no number in clear at rest
    assert row is not None
    return str(row[0])


def _closed_cases(deployment: Deployment) -> list[tuple[str, str]]:
    with psycopg.connect(deployment.database_url) as conn:
        rows = conn.execute(
            "SELECT id, status FROM cases WHERE status IN ('done', 'done_with_problems')"
        ).fetchall()
    return [(str(case_id), str(status)) for case_id, status in rows]


@pytest.mark.slow
@pytest.mark.postgres
def test_workers_on_two_hosts_carry_fifty_cases_each_step_received_once(
    deployment: Deployment,
) -> None:
    _prepare(deployment)  # Anna is there, her number sealed at rest
    shared_metrics = deployment.directory / "metrics-a"
    own_metrics = deployment.directory / "metrics-b"
    shared_metrics.mkdir()
    own_metrics.mkdir()
    web_port, metrics_port = free_port(), free_port()
    deployment.web(web_port, PROMETHEUS_MULTIPROC_DIR=str(shared_metrics))
    orchestration = "contactpoint"
    deployment.worker(
        "host-a",
        [orchestration, *dict.fromkeys(map(queue_for, HOST_A))],
        PROMETHEUS_MULTIPROC_DIR=str(shared_metrics),
    )
    deployment.worker(
        "host-b",
        [orchestration, *map(queue_for, HOST_B)],
        PROMETHEUS_MULTIPROC_DIR=str(own_metrics),
        CONTACTPOINT_METRICS_PORT=str(metrics_port),
    )
    wait_until(lambda: _answering(web_port, "/livez"), timeout_s=60)
    wait_until(lambda: deployment.workers_answering() == 2, timeout_s=90)
    assert _request(web_port, "/healthz")["workers"] == 2
    flower_port = free_port()  # Flower on the same broker, as an operator starts it
    deployment.start(
        [sys.executable, "-m", "celery", "-A", "worker", "flower", f"--port={flower_port}",
         "--address=127.0.0.1"],
        "flower",
        FLOWER_UNAUTHENTICATED_API="true",
    )  # fmt: skip
    wait_until(
        lambda: len(_answering(flower_port, "/api/workers?refresh=1") or {}) == 2, timeout_s=60
    )

    token = deployment.token(ANNA)
    example = automatic_answers("moving")
    submitted = []
    for number in range(CASES):
        answers = {**example, "studying": number % 2 == 0}
        body = {"life_event": "moving", "answers": answers, "consent": True}
        submitted.append(_request(web_port, "/api/v1/cases", body, token)["id"])

    try:
        wait_until(lambda: len(_closed_cases(deployment)) >= CASES, timeout_s=180, interval_s=0.5)
    except AssertionError as error:
        tails = {n: deployment.log_text(n)[-3000:] for n in ("host-a", "host-b", "web")}
        raise AssertionError(f"{len(_closed_cases(deployment))} closed; logs: {tails}") from error
    closed = dict(_closed_cases(deployment))
    assert sorted(closed) == sorted(submitted)
    assert set(closed.values()) == {"done"}

    with psycopg.connect(deployment.database_url) as conn:
        steps = conn.execute(
            "SELECT id, agency, status FROM steps WHERE status <> 'not_needed'"
        ).fetchall()
    assert steps and all(status == "done" for _id, _agency, status in steps)
    sandbox = Ledger(deployment.sandbox_url)
    try:
        ledger = {entry.step_id: entry for entry in sandbox.entries()}
    finally:
        sandbox.dispose()
    assert sorted(ledger) == sorted(str(step_id) for step_id, _agency, _status in steps)
    assert all(entry.times_received == 1 for entry in ledger.values())

    # Each host ran only its own agencies' steps, and its logs say which case and step.
    for host, agencies in (("host-a", HOST_A), ("host-b", HOST_B)):
        outcomes = [
            entry
            for entry in deployment.log_entries(host)
            if entry.get("step_id") and entry.get("agency")
        ]
        assert outcomes, f"{host} logged no step"
        assert {entry["agency"] for entry in outcomes} <= set(agencies)
        assert all(entry.get("case_id") in closed for entry in outcomes)
    for name in ("host-a", "host-b", "web"):
        text = deployment.log_text(name)
        assert ANNA not in text and ANNA.replace("-", "") not in text

    # The web's /metrics adds up its host's processes; host B serves its own.
    both = _request(web_port, "/metrics") + _request(metrics_port, "/metrics")
    done = {
        line.split("{")[1].split(",")[0].split('"')[1]: float(line.rsplit(" ", 1)[1])
        for line in both.splitlines()
        if line.startswith("contactpoint_steps_total{") and 'outcome="done"' in line
    }
    by_agency: dict[str, int] = {}
    for _id, agency, _status in steps:
        by_agency[agency] = by_agency.get(agency, 0) + 1
    assert done == by_agency
    assert 'contactpoint_queue_depth{queue="agency.skatteverket"} 0.0' in both
    assert "contactpoint_step_duration_seconds_bucket" in both
    waited = {  # each step's first attempt waited in its agency's queue, timed once
        line.split('"')[1]: float(line.rsplit(" ", 1)[1])
        for line in both.splitlines()
        if line.startswith("contactpoint_step_queue_wait_seconds_count{")
    }
    assert waited == by_agency

    # Flower saw both hosts run steps, from the workers' task events it switched on.
    def seen_by_flower() -> dict[str, set[str]]:
        tasks = _request(flower_port, "/api/tasks?taskname=workflows.run_step&state=SUCCESS")
        hosts: dict[str, set[str]] = {}
        for task in tasks.values():
            hosts.setdefault(task["worker"].split("@")[0], set()).add(task["uuid"])
        return hosts

    wait_until(lambda: set(seen_by_flower()) == {"host-a", "host-b"}, timeout_s=30)
    assert "host-a" in _request(flower_port, "/workers")  # its pages, as an operator reads them

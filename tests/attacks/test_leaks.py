"""A leak scan: after every life event, a complement, a correction and a withdrawal have run
through the web and a real Celery worker, no personal identity number or name of the test
population is in the web's or the worker's logs, in anything Redis held (every command it was
sent while they ran, which carries the Celery messages and so the tasks' arguments, and every
key left at the end), or in `/metrics`.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import contextlib
import json
import logging
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import redis
import sqlalchemy as sa
from celery import current_app as current_celery
from flask import Flask
from flask.testing import FlaskClient

from agencies.population import TEST_POPULATION
from contactpoint import create_app
from contactpoint.db.models import Case, Step
from contactpoint.db.seed import prepare_database
from contactpoint.extensions import db, dispose_engines
from contactpoint.platform.celery_app import all_queues
from contactpoint.platform.embedded import EmbeddedRedis, start_worker, stop_process
from tests.conftest import SECRET_KEY, SUBMISSION_LIMIT, example, token_for, wait_until
from tests.helpers.confirmations import confirm_all
from tests.helpers.pages import csrf, login
from workflows import catalogue, runtime

ANNA = "19850312-2387"
MAJA = "20150411-3893"
FINISHED = ("done", "done_with_problems", "withdrawn")


def identifying_words() -> dict[str, re.Pattern[str]]:
    """Each personal number of the test population, as 12 and 10 digits with and without the
    dash, and each first and last name: what none of the scanned places may hold."""
    words: dict[str, re.Pattern[str]] = {}
    for resident in TEST_POPULATION:
        number = resident.personal_number
        digits = number.replace("-", "")
        for form in (number, digits, number[2:], digits[2:]):
            words[form] = re.compile(rf"(?<!\d){re.escape(form)}(?!\d)")
        for name in resident.name.split():
            words[name] = re.compile(rf"\b{re.escape(name)}\b")
    return words


def readable(raw: bytes | str) -> Iterator[str]:
    """A value as text, and whatever it carries encoded: JSON inside it, and base64 (the
    body of a Celery message), however deeply."""
    pending = [raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw]
    seen = 0
    while pending and seen < 10_000:
        text = pending.pop()
        seen += 1
        yield text
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        if isinstance(value, dict | list):
            pending.extend(strings_in(value))
        if len(text) >= 16 and re.fullmatch(r"[A-Za-z0-9+/=\s]+", text):
            with contextlib.suppress(binascii.Error, UnicodeDecodeError):
                pending.append(base64.b64decode(text, validate=False).decode("utf-8"))


def strings_in(value: Any) -> Iterator[str]:
    """Every string in a JSON value, keys included."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


def redis_arguments(command: str) -> list[str]:
    """The arguments of a command as MONITOR prints them (quoted, escaped byte by byte)."""
    quoted = re.findall(r'"((?:[^"\\]|\\.)*)"', command)
    return [
        codecs.decode(arg, "unicode_escape").encode("latin-1").decode("utf-8", "replace")
        for arg in quoted
    ]


def everything_in(client: redis.Redis) -> Iterator[tuple[str, bytes | str]]:
    """Every key of every database and all it holds, whatever its type."""
    for name in client.info("keyspace"):
        number = int(name.removeprefix("db"))
        database = redis.Redis(port=client.connection_pool.connection_kwargs["port"], db=number)
        for key in database.scan_iter(count=1000):
            where = f"db{number} {key!r}"
            yield where, key
            kind = database.type(key).decode()
            if kind == "string":
                yield where, database.get(key) or b""
            elif kind == "list":
                yield from ((where, item) for item in database.lrange(key, 0, -1))
            elif kind == "hash":
                for hash_key, value in database.hgetall(key).items():
                    yield where, hash_key
                    yield where, value
            elif kind == "set":
                yield from ((where, item) for item in database.smembers(key))
            elif kind == "zset":
                yield from ((where, item) for item in database.zrange(key, 0, -1))
            elif kind == "stream":
                for _id, entry in database.xrange(key):
                    yield from ((where, item) for pair in entry.items() for item in pair)
        database.close()


@dataclass
class RedisMonitor:
    """Every command a Redis server is sent while this runs (MONITOR), kept as it prints
    them: `<time> [<db> <client>] "<command>" "<argument>" ...`."""

    server: EmbeddedRedis
    commands: list[str] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.client = redis.Redis(port=self.server.port)
        self.monitor = self.client.monitor().__enter__()
        self.thread = threading.Thread(target=self._listen, daemon=True)
        self.thread.start()

    def _listen(self) -> None:
        while not self.stopping.is_set():
            try:
                raw = self.monitor.connection.read_response()  # each argument quoted
                self.commands.append(
                    raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
                )
            except (redis.ConnectionError, OSError, ValueError):
                return

    def stop(self) -> list[str]:
        self.stopping.set()
        self.client.ping()  # one more command, so that the listener wakes and sees the stop
        self.thread.join(timeout=10)
        self.monitor.connection.disconnect()
        self.client.close()
        return self.commands


@dataclass
class Cluster:
    """The web (in this process), Redis and a worker whose output goes to a file."""

    app: Flask
    redis: EmbeddedRedis
    worker_log: Path


@pytest.fixture()
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    """A web app, its own Redis and a real worker; all stopped afterwards."""
    previous_runtime = runtime._current
    previous_celery = current_celery._get_current_object()
    server = EmbeddedRedis(tmp_path / "redis", persist=False).start()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTACTPOINT_")}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'contactpoint.db'}",
            "REDIS_URL": server.url,
            "CONTACTPOINT_SANDBOX_URL": f"sqlite:///{tmp_path / 'sandbox.db'}",
            "CONTACTPOINT_INSTANCE_PATH": str(tmp_path),
            "CONTACTPOINT_AGENCY_LATENCY_MS": "0",
            "CONTACTPOINT_SUBMISSION_LIMIT": SUBMISSION_LIMIT,
            "SECRET_KEY": SECRET_KEY,
        }
    )
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": SECRET_KEY,
            "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
            "REDIS_URL": env["REDIS_URL"],
            "SANDBOX_DATABASE_URL": env["CONTACTPOINT_SANDBOX_URL"],
            "SUBMISSION_LIMIT": SUBMISSION_LIMIT,
        }
    )
    with app.app_context():
        prepare_database()
    log = tmp_path / "worker.log"
    worker = start_worker(env, all_queues(), concurrency=2, name="leaks", log_file=log)
    try:
        wait_until(lambda: bool(app.extensions["celery"].control.ping(timeout=0.5)), 60)
        yield Cluster(app, server, log)
    finally:
        stop_process(worker)
        server.stop()
        with app.app_context():
            db.session.remove()
            dispose_engines()
        runtime._current = previous_runtime
        previous_celery.set_default()


def steps_of(app: Flask, case_id: str) -> dict[str, tuple[str, str, str]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(Step.key, Step.id, Step.status, Step.ball).where(Step.case_id == case_id)
        ).all()
        db.session.remove()
    return {key: (step_id, status, ball) for key, step_id, status, ball in rows}


def agency_token(client: FlaskClient, agency: str) -> dict[str, str]:
    response = client.post("/api/v1/dev/agency/token", json={"agency": agency})
    return {"Authorization": f"Bearer {response.json['access_token']}"}


def decide(client: FlaskClient, agency: str, step_id: str, body: dict[str, str]) -> None:
    url = f"/api/v1/agencies/{agency}/steps/{step_id}/decision"
    response = client.post(url, json=body, headers=agency_token(client, agency))
    assert response.status_code == 200, response.json


def approve_what_waits(app: Flask, client: FlaskClient, case_ids: list[str]) -> bool:
    """Approve each step waiting for an agency; whether every case has ended."""
    with app.app_context():
        waiting = db.session.execute(
            sa.select(Step.id, Step.agency).where(
                Step.case_id.in_(case_ids), Step.status == "waiting", Step.ball == "agency"
            )
        ).all()
        statuses = db.session.scalars(sa.select(Case.status).where(Case.id.in_(case_ids))).all()
        db.session.remove()
    for step_id, agency in waiting:
        decide(client, agency, step_id, {"decision": "approve"})
    return len(statuses) == len(case_ids) and all(s in FINISHED for s in statuses)


def submit(client: FlaskClient, event_id: str, person: str, **changes: Any) -> str:
    answers = {**example(client, event_id), **changes}
    body = {"life_event": event_id, "answers": answers, "consent": True}
    response = client.post("/api/v1/cases", json=body, headers=token_for(client, person))
    assert response.status_code == 201, response.json
    return str(response.json["id"])


def correct(client: FlaskClient, case_id: str, answers: dict[str, Any]) -> None:
    """Correct answers of a case already sent: a correction goes to each agency that had them."""
    body = {"answers": answers, "consent": True}
    response = client.post(
        f"/api/v1/cases/{case_id}/corrections", json=body, headers=token_for(client, ANNA)
    )
    assert response.status_code == 200, response.json
    assert response.json["correction"]["corrections"], response.json


def waits_for(app: Flask, case_id: str, key: str, ball: str) -> str | None:
    _step_id, status, holder = steps_of(app, case_id).get(key, ("", "", ""))
    return _step_id if (status, holder) == ("waiting", ball) else None


def run_every_kind_of_case(app: Flask) -> None:
    """Every life event with its example answers; a complement asked by Försäkringskassan's
    system and answered on My pages; a correction of an address already sent; a case
    withdrawn on My pages. Until all have ended."""
    api, browser = app.test_client(), app.test_client()
    cases = [submit(api, event.id, event.example_person) for event in catalogue().values()]
    confirm_all(api, "19900118-3376")  # the other guardian's yes to the new baby's shared steps
    asked = submit(api, "moving", ANNA, housing_allowance=True)
    withdrawn = submit(api, "moving", ANNA, housing_allowance=True)
    corrected = submit(api, "moving", ANNA)
    wait_until(lambda: steps_of(app, corrected).get("change-of-address", ("", ""))[1] == "done")
    correct(api, corrected, {"new_street": "Sysslomansgatan 3"})
    step_id = wait_until(lambda: waits_for(app, asked, "housing-allowance", "agency"))
    question = f"Flyttar Maja Lindqvist ({MAJA}) med till den nya bostaden?"
    decide(api, "forsakringskassan", step_id, {"decision": "complement", "question": question})
    wait_until(lambda: waits_for(app, asked, "housing-allowance", "citizen"))
    login(browser, ANNA)
    page = browser.get(f"/my-pages/cases/{asked}").get_data(as_text=True)
    answer = f"Ja, Maja Lindqvist {MAJA.replace('-', '')} flyttar med. /Anna Lindqvist"
    form = {"csrf_token": csrf(page), "step_id": step_id, "answer": answer}
    assert browser.post(f"/my-pages/cases/{asked}", data=form).status_code == 302
    wait_until(lambda: waits_for(app, withdrawn, "housing-allowance", "agency"))
    confirm = browser.get(f"/my-pages/cases/{withdrawn}/withdraw").get_data(as_text=True)
    posted = browser.post(
        f"/my-pages/cases/{withdrawn}/withdraw", data={"csrf_token": csrf(confirm)}
    )
    assert posted.status_code == 302
    everything = [*cases, asked, withdrawn, corrected]
    wait_until(lambda: approve_what_waits(app, api, everything), timeout_s=90, interval_s=0.3)


def leaks_in(places: list[tuple[str, bytes | str]]) -> set[tuple[str, str, str]]:
    """Where a personal number or a name of the test population is, and around it."""
    words = identifying_words()
    return {
        (place, word, text[max(0, match.start() - 60) : match.end() + 60])
        for place, raw in places
        for text in readable(raw)
        for word, pattern in words.items()
        if (match := pattern.search(text))
    }


def test_the_scan_finds_a_number_or_a_name_however_it_is_carried() -> None:
    body = base64.b64encode(json.dumps([["x"], {"note": "Karin Berg"}, {}]).encode()).decode()
    message = json.dumps({"body": body, "properties": {"body_encoding": "base64"}})
    monitored = f'"lpush" "agency.csn" "{json.dumps(message)[1:-1]}"'
    found = leaks_in(
        [
            ("log", "sent 8503122387 to csn"),
            ("redis", message.encode()),
            ("monitor", redis_arguments(monitored)[2]),
            ("clean", "Bergsgatan 1, case 198503122387123, step kommun"),
        ]
    )
    assert {(place, word) for place, word, _text in found} == {
        ("log", "8503122387"),
        ("redis", "Karin"),
        ("redis", "Berg"),
        ("monitor", "Karin"),
        ("monitor", "Berg"),
    }


def test_no_personal_number_or_name_in_logs_redis_or_metrics(
    cluster: Cluster, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    monitor = RedisMonitor(cluster.redis)
    try:
        run_every_kind_of_case(cluster.app)
        metrics = cluster.app.test_client().get("/metrics")
        assert metrics.status_code == 200
    finally:
        commands = monitor.stop()
    places: list[tuple[str, bytes | str]] = [
        ("the web's log", caplog.text),
        ("the worker's log", cluster.worker_log.read_bytes()),
        ("/metrics", metrics.get_data()),
        *(("a command sent to Redis", arg) for cmd in commands for arg in redis_arguments(cmd)),
        *everything_in(redis.Redis(port=cluster.redis.port)),
    ]
    found = leaks_in(places)
    assert any('"lpush"' in command.lower() for command in commands)  # the tasks' messages
    assert cluster.worker_log.stat().st_size > 0
    assert not found, "\n".join(sorted(f"{p}: {w!r} in …{t}…" for p, w, t in found))

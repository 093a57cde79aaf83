"""Phase 4: `POST /api/v1/cases` against a bare endpoint that sends the same canvas."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from contactpoint.bench import rawcelery
from contactpoint.bench.ours import automatic_answers
from contactpoint.bench.runtime import BenchError, BenchRuntime
from contactpoint.bench.stats import Request, in_turns, load_of
from contactpoint.devidp.issue import citizen_access_token
from contactpoint.extensions import db
from contactpoint.platform.celery_app import all_queues
from workflows import catalogue

# One person sends every case here: their limit is put out of reach, and still checked and
# counted at every submission, as for anyone.
SUBMISSION_LIMIT = "100000000 per hour"


def _forget_queued(runtime: BenchRuntime) -> None:
    """Drop the messages the phase left: no worker will ever run its cases' steps."""
    client = runtime.redis()
    for queue in (*all_queues(), rawcelery.QUEUE):
        client.delete(queue)  # kombu keeps a queue in a list of its name, and with priorities
        for key in client.scan_iter(match=f"{queue}\x06\x16*"):  # in lists named after it
            client.delete(key)
    client.close()


def direct_rate(runtime: BenchRuntime, width: int, threads: int, duration_s: float) -> float:
    """Canvases per second that raw Celery sends from threads of one process (no HTTP)."""
    rawcelery.configure(runtime.redis_url)
    sent = [0] * threads
    deadline = time.monotonic() + duration_s

    def sender(number: int) -> None:
        while time.monotonic() < deadline:
            rawcelery.canvas("direct", 0, width).apply_async()
            sent[number] += 1

    workers = [threading.Thread(target=sender, args=(n,)) for n in range(threads)]
    began = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return round(sum(sent) / (time.monotonic() - began), 1)


def measure_submit(
    runtime: BenchRuntime, workers: int, width: int, duration_s: float, threads: int
) -> dict[str, Any]:
    """Submissions per second through the API, and through a bare raw-Celery endpoint."""
    app = runtime.app()
    event = catalogue()["moving"]
    with app.app_context():
        db.session.rollback()
    body = json.dumps(
        {"life_event": "moving", "answers": automatic_answers(), "consent": True}
    ).encode()
    headers = {"Content-Type": "application/json"}
    raw_body = json.dumps({"width": width}).encode()

    def ours(_n: int) -> Request:
        return "POST", "/api/v1/cases", headers, body

    def raw(_n: int) -> Request:
        return "POST", "/cases", {"Content-Type": "application/json"}, raw_body

    try:
        env = runtime.env(CONTACTPOINT_SUBMISSION_LIMIT=SUBMISSION_LIMIT)
        with (
            runtime.web("contactpoint.bench.wsgi:submit_app()", workers, env) as our_port,
            runtime.web("contactpoint.bench.wsgi:raw_app()", workers, env) as raw_port,
        ):
            with app.test_request_context(base_url=f"http://127.0.0.1:{our_port}"):
                token = citizen_access_token(event.example_person)  # issued for that address
            headers["Authorization"] = f"Bearer {token}"
            loads = {
                "API": load_of(our_port, ours, threads, expect=(201,)),
                "raw": load_of(raw_port, raw, threads, expect=(201,)),
            }
            for load in loads.values():  # warm both
                load(1.0)
            found = in_turns(loads, duration_s)  # both servers up, their loads in turns
        mine, bare = found["API"], found["raw"]
        direct = direct_rate(runtime, width, threads, min(duration_s, 3.0))
    finally:
        _forget_queued(runtime)
    for name, result in (("API", mine), ("raw", bare)):
        if result.errors or not result.requests:
            raise BenchError(f"the {name} submissions failed {result.errors} times")
    return {
        "submit_rps": mine.rps,
        "submit_p99_s": mine.p99_s,
        "raw_submit_rps": bare.rps,
        "raw_submit_direct_per_s": direct,
        "submit_ratio": round(mine.rps / bare.rps, 2),
    }

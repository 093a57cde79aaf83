"""Phase 3: the case-status read and My pages over a large population, against a trivial page."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Flask

from agencies import clock
from contactpoint.auth.sessions import session_values
from contactpoint.bench.population import Population, generate
from contactpoint.bench.runtime import BenchError, BenchRuntime
from contactpoint.bench.stats import LoadResult, Request, http_load, in_turns, load_of
from contactpoint.db.models import Person
from contactpoint.db.statements import outside_transactions
from contactpoint.db.statistics_store import StatisticsSql
from contactpoint.devidp.issue import citizen_access_token
from contactpoint.extensions import db
from workflows.statistics import roll_up

WEB_APP = "contactpoint:create_app()"
WARM_PASSES = 4  # requests per sampled case or person and web process before measuring
WARM_LIMIT_S = 120.0  # the longest one warming load may take


def count_queries(action: Callable[[], Any]) -> int:
    """How many SQL statements `action` sends to the database, on any engine of the process
    (the app's, and those for statements outside transactions)."""
    statements = 0

    def counted(*_args: Any) -> None:
        nonlocal statements
        statements += 1

    sa.event.listen(sa.Engine, "before_cursor_execute", counted)
    try:
        action()
    finally:
        sa.event.remove(sa.Engine, "before_cursor_execute", counted)
    return statements


def _credentials(app: Flask, person_id: str, server: str = "http://localhost") -> dict[str, str]:
    """A bearer token and a session cookie for one person, for the server at `server` (the
    simulated provider's issuer is the address the app is reached at)."""
    with app.test_request_context(base_url=server):
        person = db.session.get(Person, person_id)
        assert person is not None
        token = citizen_access_token(person.personal_number)
        db.session.rollback()
        serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
        cookie = serializer.dumps(session_values(person_id=person_id))
    name = app.config["SESSION_COOKIE_NAME"]
    return {"Authorization": f"Bearer {token}", "Cookie": f"{name}={cookie}"}


def queries_per_read(app: Flask, population: Population) -> dict[str, Any]:
    """SQL statements of one status read and one My pages read, for few and for many steps."""
    counts: dict[str, list[int]] = {"status": [], "mypages": []}
    client = app.test_client()  # a browser's, with the session cookie
    api = app.test_client()  # an API client's: a bearer token, no cookie
    for person_id, case_id in (population.few, population.many):
        headers = _credentials(app, person_id)
        bearer = {"Authorization": headers["Authorization"]}

        def status(h: dict[str, str] = bearer, c: str = case_id) -> None:
            assert api.get(f"/api/v1/cases/{c}", headers=h).status_code == 200

        cookie = headers["Cookie"].partition("=")
        client.set_cookie(cookie[0], cookie[2])

        def mypages() -> None:
            assert client.get("/my-pages").status_code == 200

        status()  # warm caches (life events, templates)
        mypages()
        counts["status"].append(count_queries(status))
        counts["mypages"].append(count_queries(mypages))
    return {
        "queries_per_status_read": counts["status"][-1],
        "queries_per_mypages_read": counts["mypages"][-1],
        "queries_constant": all(len(set(values)) == 1 for values in counts.values()),
    }


def release_statistics(app: Flask) -> dict[str, Any]:
    """Release the population's ended months as the beat's roll-up does, and count the SQL
    statements of a statistics read before (nothing released) and after (a year of months)."""
    client = app.test_client()

    def read() -> None:
        assert client.get("/api/v1/statistics").status_code == 200

    read()  # warm
    before = count_queries(read)
    with app.app_context():
        release = roll_up(StatisticsSql(), clock.now())
    read()
    after = count_queries(read)
    return {
        "queries_per_statistics_read": after,
        "statistics_queries_constant": before == after,
        "statistics_months_released": len(release.periods) if release else 0,
    }


def prepare_population(runtime: BenchRuntime, cases: int, show: bool) -> tuple[Population, float]:
    """Write the synthetic population once; return it and how long it took."""
    app = runtime.app()
    began = time.monotonic()
    with app.app_context():
        population = generate(cases, people=max(1, cases // 5), show=show)
        db.session.commit()
        settle_bulk_write()
    return population, round(time.monotonic() - began, 1)


def settle_bulk_write() -> None:
    """Leave the app's database as a server that has run for a while has it after a bulk
    write.

    SQLite: fold the write-ahead log into the database file, or every later transaction pays
    for a log of hundreds of megabytes. PostgreSQL: vacuum now, or autovacuum does it during
    the measurement, on the same cores. Both: refresh the planner's statistics.
    """
    with outside_transactions() as connection:  # VACUUM runs in no transaction
        if connection.dialect.name == "sqlite":
            connection.execute(sa.text("PRAGMA wal_checkpoint(TRUNCATE)"))
            connection.execute(sa.text("ANALYZE"))
        else:
            connection.execute(sa.text("VACUUM (ANALYZE)"))


def measure_reads(
    runtime: BenchRuntime,
    population: Population,
    workers: int,
    duration_s: float,
    threads: int,
) -> dict[str, Any]:
    """Requests per second and p99 of the two reads and of a trivial page, same server, load."""
    app = runtime.app()
    rng = random.Random(3)
    sample = [rng.choice(population.cases) for _ in range(min(500, len(population.cases)))]
    headers: list[tuple[dict[str, str], str]] = []

    def credentials_for(port: int) -> None:
        """The sample's tokens, issued for the server at this port (its issuer's address)."""
        server = f"http://127.0.0.1:{port}"
        headers[:] = [(_credentials(app, who, server), case_id) for who, case_id in sample]

    def trivial(_n: int) -> Request:
        return "GET", "/livez", {}, None

    def status(n: int) -> Request:
        who, case_id = headers[n % len(headers)]
        return "GET", f"/api/v1/cases/{case_id}", {"Authorization": who["Authorization"]}, None

    def mypages(n: int) -> Request:
        who, _ = headers[n % len(headers)]
        return "GET", "/my-pages", {"Cookie": who["Cookie"]}, None

    def statistics(_n: int) -> Request:  # as browsers, curl --compressed and portals ask
        return "GET", "/api/v1/statistics", {"Accept-Encoding": "gzip"}, None

    results: dict[str, LoadResult] = {}
    with runtime.web(WEB_APP, workers) as port:
        credentials_for(port)
        # Warm every server process and what it keeps (templates, the catalogue, the case
        # statuses and My pages it has rendered), as a server that has been up for a while
        # has: each sampled case and person is asked for `WARM_PASSES` times per process.
        # Which process answers is the kernel's choice, so one misses a given case only by
        # chance: at odds of (1 - 1/workers)^(passes x workers), 1 in 256 for two.
        per_sample = WARM_PASSES * workers * len(sample)
        for make, count in ((trivial, 500), (status, per_sample), (mypages, per_sample)):
            http_load(port, make, threads, WARM_LIMIT_S, requests=count)
        http_load(port, statistics, threads, 1.0)
        loads = {"trivial": trivial, "read": status, "mypages": mypages, "statistics": statistics}
        results |= in_turns(
            {name: load_of(port, make, threads) for name, make in loads.items()}, duration_s
        )
    # The same reads when every request renders the case or the page (no kept renderings):
    # what a person meets the first time, or a process just started.
    uncached = runtime.env(CONTACTPOINT_STATUS_CACHE_SIZE="0", CONTACTPOINT_PAGE_CACHE_SIZE="0")
    with runtime.web(WEB_APP, workers, uncached) as port:
        credentials_for(port)
        http_load(port, status, threads, 1.0)
        http_load(port, mypages, threads, 1.0)
        loads = {"read_uncached": status, "mypages_uncached": mypages}
        results |= in_turns(
            {name: load_of(port, make, threads) for name, make in loads.items()}, duration_s
        )
    for name, result in results.items():
        if result.errors or not result.requests:
            raise BenchError(f"the {name} read failed {result.errors} of its requests")
    figures: dict[str, Any] = {}
    for name, result in results.items():
        figures[f"{name}_rps"] = result.rps
        figures[f"{name}_p99_s"] = result.p99_s
    figures["read_ratio"] = round(results["trivial"].rps / results["read"].rps, 2)
    for name in ("read_uncached", "mypages_uncached"):
        figures[f"{name}_ratio"] = round(results["trivial"].rps / results[name].rps, 2)
    figures["mypages_ratio"] = round(results["trivial"].rps / results["mypages"].rps, 2)
    figures["statistics_read_ratio"] = round(results["trivial"].rps / results["statistics"].rps, 2)
    return figures

"""The proactive pass over a large population register: written in bulk, one pass run in a
process of its own (a worker's part), against the same indexed queries run alone."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import random
import time
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa

from agencies import clock
from agencies.registers.recorded import PopulationRegister, people
from contactpoint import create_app
from contactpoint.bench.population import FIRST, LAST, personal_number
from contactpoint.bench.runtime import SECRET, BenchRuntime
from contactpoint.extensions import db, dispose_engines
from workflows import proactive
from workflows.proactive import rules
from workflows.proactive.service import queries_alone

POPULATION = 1_000_000
CHUNK = 50_000
# Seven in ten hold a passport, valid ten years: about one in sixty runs out within three months.
PASSPORT_SHARE = 0.7
PASSPORT_YEARS = 10
SERIAL_OFFSET = 5_000_000  # clear of the numbers of the read benchmark's people


def generate_register(register: PopulationRegister, size: int, show: bool, seed: int = 33) -> float:
    """Write `size` synthetic residents to the population register in bulk; the seconds it took."""
    rng = random.Random(seed)
    today = clock.today()
    started = time.perf_counter()
    columns = [column.name for column in people.columns]
    marker = "?" if register.engine.dialect.name == "sqlite" else "%s"
    quoted = ", ".join(columns)
    sql = f"INSERT INTO {people.name} ({quoted}) VALUES ({', '.join([marker] * len(columns))})"
    with register.engine.begin() as connection:
        for start in range(0, size, CHUNK):
            rows = []
            for serial in range(start, min(size, start + CHUNK)):
                expires = None
                if rng.random() < PASSPORT_SHARE:
                    expires = today + dt.timedelta(days=rng.randrange(PASSPORT_YEARS * 365))
                name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                number = personal_number(SERIAL_OFFSET + serial)
                rows.append((number, name, "Storgatan 1", "111 22", "0180", None, expires))
            connection.exec_driver_sql(sql, rows)
            if show:
                click.echo(f"proactive: register {min(size, start + CHUNK)} of {size}", err=True)
    return time.perf_counter() - started


def _in_own_process(settings: dict[str, Any], what: str, days_on: int, connection: Any) -> None:
    """The child, started afresh (no lock of the parent's threads held across a fork): the app
    on the benchmark's databases, `what` run `days_on` days from today; it sends back seconds,
    rows and how far its peak resident memory rose above what it started with."""
    app = create_app(settings)
    moment = clock.now() + dt.timedelta(days=days_on)
    clock.now = lambda: moment  # this process only: the day of the pass
    with app.app_context():
        service = proactive.current()
        rules()
        start_mb = _status_mb("VmRSS")
        started = time.perf_counter()
        if what == "pass":
            rows = proactive.run_pass(service)["people"]
        else:
            rows = queries_alone(service, clock.today())
        seconds = time.perf_counter() - started
        db.session.remove()
    connection.send((seconds, rows, _status_mb("VmHWM") - start_mb))
    connection.close()


def _status_mb(field: str) -> float:
    """A memory figure of this process (VmRSS, VmHWM), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _run(runtime: BenchRuntime, what: str, days_on: int) -> tuple[float, int, float]:
    """Run the pass (or its queries alone) `days_on` days from today in a process of its own:
    seconds, rows, how far its peak memory rose."""
    settings = {
        "SECRET_KEY": SECRET,
        "SQLALCHEMY_DATABASE_URI": runtime.database_url,
        "REDIS_URL": runtime.redis_url,
        "SANDBOX_DATABASE_URL": runtime.sandbox_url,
    }
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    child = context.Process(target=_in_own_process, args=(settings, what, days_on, theirs))
    child.start()
    seconds, rows, growth_mb = ours.recv()
    child.join()
    return seconds, rows, round(max(0.0, growth_mb), 1)


def measure_proactive(runtime: BenchRuntime, size: int, show: bool) -> dict[str, Any]:
    """Generate the register, run the pass's queries alone and then the pass."""
    app = runtime.app()
    register: PopulationRegister = app.extensions["population_register"]
    generated_s = generate_register(register, size, show)
    rules()  # loaded once per process, as a worker has them before its first pass
    with app.app_context():
        dispose_engines()
    app.extensions["ledger"].dispose()
    first_alone_s, _due, _peak = _run(runtime, "queries", 0)
    first_s, _people, _growth = _run(runtime, "pass", 0)  # the register's first pass: all due
    first = _messages(app)
    alone_s, due, _peak = _run(runtime, "queries", 1)
    pass_s, _people, growth_mb = _run(runtime, "pass", 1)  # the next day's, as it runs every day
    return {
        "proactive_population": size,
        "proactive_generated_s": round(generated_s, 1),
        "proactive_due": due,
        "proactive_reminded": _messages(app) - first,
        "proactive_pass_s": round(pass_s, 3),
        "proactive_queries_alone_s": round(alone_s, 3),
        "proactive_people_per_s": round(size / pass_s) if pass_s else None,
        "proactive_ratio": round(alone_s / pass_s, 3) if pass_s else None,
        "proactive_first_reminded": first,
        "proactive_first_pass_s": round(first_s, 3),
        "proactive_first_ratio": round(first_alone_s / first_s, 3) if first_s else None,
        "proactive_rss_growth_mb": growth_mb,
    }


def _messages(app: Any) -> int:
    with app.app_context():
        found = int(db.session.scalar(sa.text("SELECT count(*) FROM messages")) or 0)
        db.session.rollback()
    return found

"""`contactpoint bench`: run every phase, R times, and report the median with its range."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa

from contactpoint.bench.ours import steps_per_case
from contactpoint.bench.proactive import measure_proactive
from contactpoint.bench.profile import top_items
from contactpoint.bench.reads import (
    measure_reads,
    prepare_population,
    queries_per_read,
    release_statistics,
)
from contactpoint.bench.report import TARGETS, render
from contactpoint.bench.runtime import BenchError, BenchRuntime
from contactpoint.bench.stats import summarise_runs
from contactpoint.bench.submit import SUBMISSION_LIMIT, measure_submit
from contactpoint.bench.throughput import LIGHT_TURNS, TURNS, measure_scale, measure_throughput
from contactpoint.extensions import db
from contactpoint.platform.embedded import stop_on_signals

# Throughput covers phases 1 and 2 (the ceiling and ours, measured in turns).
PHASES = ("throughput", "scale", "reads", "submit", "proactive")


def usable_cpus() -> int:
    """How many CPUs this process, and so each process it starts, may run on: fewer than the
    machine's when it runs under `taskset` (the database server on CPUs of its own, say)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _versions(runtime: BenchRuntime) -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for package in ("contactpoint", "celery", "kombu", "redis", "flask", "sqlalchemy"):
        versions[package] = metadata.version(package)
    client = runtime.redis()
    versions["redis_server"] = str(client.info("server")["redis_version"])
    client.close()
    with runtime.app().app_context():
        if db.engine.dialect.name == "sqlite":
            versions["database"] = "SQLite " + db.session.scalar(sa.text("select sqlite_version()"))
        else:
            versions["database"] = db.session.scalar(sa.text("select version()")).split(",")[0]
        db.session.rollback()
    return versions


def run_once(runtime: BenchRuntime, options: dict[str, Any], population: Any) -> dict[str, Any]:
    """One run of every phase; returns its figures."""
    cases, workers, show = options["cases"], options["workers"], options["progress"]
    phases = options["phases"]
    _total, width = steps_per_case()
    figures: dict[str, Any] = {}
    if "throughput" in phases:
        profile = options.get("profile")
        figures |= measure_throughput(runtime, cases, workers, width, show, profile)
    if "scale" in phases:
        figures |= measure_scale(runtime, cases, show)
    duration, threads = options["duration"], options["threads"]
    if "reads" in phases:
        figures |= measure_reads(runtime, population, workers, duration, threads)
    if "submit" in phases:
        figures |= measure_submit(runtime, workers, width, duration, threads)
    return figures


def _measure(runtime: BenchRuntime, options: dict[str, Any]) -> dict[str, Any]:
    """Every phase asked for, `repeat` times: the medians, their ranges, what was used."""
    repeat, read_cases, show = options["repeat"], options["read_cases"], options["progress"]
    profile = options["profile"]
    total, width = steps_per_case()
    population, generated_s, queries = None, None, {}
    if "reads" in options["phases"]:
        population, generated_s = prepare_population(runtime, read_cases, show)
        queries = queries_per_read(runtime.app(), population)
        queries |= release_statistics(runtime.app())
    runs = []
    for number in range(repeat):
        if show and repeat > 1:
            click.echo(f"run {number + 1} of {repeat}", err=True)
        runs.append(run_once(runtime, options, population))
        options["profile"] = None  # profile the first run only
    result, ranges = summarise_runs(runs)
    result |= queries
    if "proactive" in options["phases"]:  # one pass over a register generated once
        result |= measure_proactive(runtime, options["population"], show)
    result["ranges"] = ranges
    result["targets"] = TARGETS
    result["versions"] = _versions(runtime)
    database = sa.engine.make_url(runtime.database_url).get_backend_name()
    result["settings"] = {
        "cases": options["cases"], "workers": options["workers"], "repeat": repeat,
        "read_cases": read_cases, "read_population_generated_s": generated_s,
        "proactive_population": options["population"],
        "http_threads": options["threads"], "http_duration_s": options["duration"],
        "web_workers": options["workers"],
        "database": database,
        "worker_synchronous_commit": (
            runtime.app().config["WORKER_SYNCHRONOUS_COMMIT"] if database == "postgresql" else None
        ),
        "redis": "embedded" if runtime.embedded_redis else "REDIS_URL",
        "phases": sorted(options["phases"]),
        "steps_per_case": total, "steps_sent_per_case": width,
        "ceiling_canvas": f"chord of {width} no-op tasks and one callback",
        "throughput_pairs": TURNS, "light_load_pairs": LIGHT_TURNS, "scale_pairs": TURNS,
        "light_load": "a fifth of the measured saturation rate",
        "agency_latency_ms": 0, "register_latency_ms": 0,
        "submission_limit": SUBMISSION_LIMIT,
        "cpus": usable_cpus(), "machine_cpus": os.cpu_count(),
        "platform": platform.platform(),
    }  # fmt: skip
    result["date"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    if profile:
        result["profile_top"] = top_items(profile)
    return result


@click.command("bench", context_settings={"show_default": True})
@click.option("--cases", default=100, type=click.IntRange(min=1), help="Cases per throughput run.")
@click.option("--workers", default=2, type=click.IntRange(min=1), help="Worker processes.")
@click.option(
    "--repeat", default=1, type=click.IntRange(min=1), help="Runs; the median is reported."
)
@click.option(
    "--read-cases", default=100_000, type=click.IntRange(min=100), help="Cases for the reads."
)
@click.option(
    "--population",
    default=1_000_000,
    type=click.IntRange(min=1000),
    help="People in the population register of the proactive pass.",
)
@click.option(
    "--duration", default=5.0, type=click.FloatRange(min=0.5), help="Seconds of each HTTP load."
)
@click.option("--threads", default=8, type=click.IntRange(1, 256), help="Concurrent HTTP clients.")
@click.option("--profile", type=click.Path(path_type=Path), help="Write a py-spy profile here.")
@click.option(
    "--only",
    "phases",
    multiple=True,
    type=click.Choice(PHASES),
    help="Run only this phase (repeatable); every phase by default.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--quiet", is_flag=True, help="No progress bar on stderr.")
def bench_command(
    cases: int,
    workers: int,
    repeat: int,
    read_cases: int,
    population: int,
    duration: float,
    threads: int,
    profile: Path | None,
    phases: tuple[str, ...],
    as_json: bool,
    quiet: bool,
) -> None:
    """Measure Kontaktpunkt against the raw Celery/Redis ceiling in one run."""
    # The phases load lazily: `contactpoint` starts fast and other commands never see them.

    options = {
        "cases": cases, "workers": workers, "duration": duration, "threads": threads,
        "progress": not quiet, "profile": profile, "phases": set(phases or PHASES),
        "repeat": repeat, "read_cases": read_cases, "population": population,
    }  # fmt: skip
    stop_on_signals()  # Ctrl-C or SIGTERM: what it started stops too
    runtime = BenchRuntime()
    try:
        result = _measure(runtime, options)
    except BenchError as error:
        raise click.ClickException(f"The benchmark could not finish: {error}") from None
    finally:
        runtime.close()
    if as_json:
        click.echo(json.dumps(result, indent=2))
    else:
        click.echo(render(result))
    sys.stdout.flush()

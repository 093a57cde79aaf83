"""The `contactpoint` command: run everything, seed, read the sandbox, and Flask's own commands."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import click
import redis
import sqlalchemy as sa
from flask import current_app
from flask.cli import FlaskGroup, routes_command, shell_command, with_appcontext
from flask_migrate.cli import db as migrations_command
from werkzeug.serving import run_simple

from agencies import clock
from agencies.catalogue import AGENCIES
from contactpoint import create_app
from contactpoint.audit.command import audit_command
from contactpoint.bench.command import bench_command
from contactpoint.config import ConfigError
from contactpoint.db.protection import UnreadableData
from contactpoint.db.reseal import reseal
from contactpoint.db.seed import prepare_database
from contactpoint.extensions import db
from contactpoint.notifications.devmail import caught_file
from contactpoint.officer.casework import retry_failed, send_scheduled_now
from contactpoint.platform.celery_app import all_queues
from contactpoint.platform.embedded import (
    EmbeddedRedis,
    Supervisor,
    start_beat,
    start_worker,
    stop_on_signals,
)
from contactpoint.platform.embedded_mail import EmbeddedSmtp
from contactpoint.platform.observability.alerts import rule_file
from contactpoint.proactive.command import register_event_command
from workflows import runtime
from workflows.retention import expiring, purge


class ContactpointGroup(FlaskGroup):
    """Flask's group, with bad settings or a database or Redis out of reach said in one line,
    not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ConfigError as error:
            raise click.ClickException(str(error)) from None
        except sa.exc.OperationalError as error:
            raise click.ClickException(
                f"The database at {_shown_url('DATABASE_URL')} could not be used: "
                f"{_first_line(error.orig or error)}"
            ) from None
        except redis.ConnectionError as error:
            raise click.ClickException(
                f"Redis at {_shown_url('REDIS_URL')} could not be reached: {_first_line(error)}"
            ) from None


def _shown_url(variable: str) -> str:
    """The URL in `variable`, its password hidden (the embedded default when it is unset)."""
    url = os.environ.get(variable)
    if not url:
        return f"the default (no {variable} set)"
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return f"{variable} (not a URL)"


# PostgreSQL's code for a statement the role may not run (as ALTER TABLE by a non-owner).
INSUFFICIENT_PRIVILEGE = "42501"


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


@click.group(cls=ContactpointGroup, create_app=create_app, add_default_commands=False)
def main() -> None:
    """Kontaktpunkt: one contact point for life events across agencies."""


main.add_command(shell_command)
main.add_command(routes_command)
main.add_command(bench_command)
main.add_command(audit_command)
main.add_command(migrations_command, "db")


@main.command("seed")
@with_appcontext
def seed_command() -> None:
    """Load the synthetic test population and registers (idempotent)."""
    added = prepare_database()
    click.echo(f"Seeded {added} people of the test population.")


@main.command("reseal")
@with_appcontext
def reseal_command() -> None:
    """Seal again under PERSONAL_DATA_KEY what PERSONAL_DATA_OLD_KEYS sealed (after a new key)."""
    try:
        with db.engine.connect() as connection:
            done = reseal(connection)
    except UnreadableData as error:
        raise click.ClickException(
            f"{error}. Add the key that sealed it to PERSONAL_DATA_OLD_KEYS and run this again"
            " (what was sealed again so far stays so)."
        ) from error
    except sa.exc.ProgrammingError as error:
        if getattr(error.orig, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
            raise
        raise click.ClickException(
            f"{_first_line(error.orig or error)}. Run this as the role that runs the migrations,"
            " which owns the tables and alone may lift the audit trail's guard (what was sealed"
            " again so far stays so)."
        ) from None
    for column, count in done.items():
        click.echo(f"{column}: {count} sealed again")
    click.echo("Every value is sealed under PERSONAL_DATA_KEY: PERSONAL_DATA_OLD_KEYS can go.")


RETAINED = {
    "cases": "closed cases (with their steps, timeline and sharing log)",
    "drafts": "applications never sent",
    "register_reads": "register reads that became no case",
    "audit": "audit trail entries",
    "messages": "messages that concern no case",
}


@main.command("purge")
@click.option("--dry-run", is_flag=True, help="Only count what would be removed.")
@with_appcontext
def purge_command(dry_run: bool) -> None:
    """Remove what has outlived its retention period now (beat runs this every hour too)."""

    current = runtime.current()
    moment = clock.now()  # the one clock, as the periodic pass reads it
    cutoffs = current.retention.cutoffs(moment)
    if dry_run:
        counts = expiring(current.store, current.retention, moment)
    else:
        counts = purge(current.store, current.retention, moment)
    verb = "would be removed" if dry_run else "removed"
    for kind, count in counts.items():
        before = cutoffs[kind].astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")  # exact
        click.echo(f"{RETAINED[kind]}, from before {before}: {count} {verb}")


SECONDS: dict[str, Any] = {"type": click.FloatRange(min=0, min_open=True), "show_default": True}


@main.command("alert-rules")
@click.option(
    "--queue-depth",
    type=click.IntRange(min=1),
    default=500,
    show_default=True,
    help="Messages that no queue should hold for 15 minutes.",
)
@click.option(
    "--step-seconds",
    default=10.0,
    help="Seconds that one step in twenty may take at its agency.",
    **SECONDS,
)
@click.option(
    "--queue-wait-seconds",
    default=30.0,
    help="Seconds that one step in twenty may wait in its agency's queue for a worker.",
    **SECONDS,
)
def alert_rules_command(queue_depth: int, step_seconds: float, queue_wait_seconds: float) -> None:
    """Print Prometheus alerting rules for /metrics: a rule file for Prometheus's
    `rule_files`, which says what pages an operator and what makes a ticket."""
    click.echo(rule_file(queue_depth, step_seconds, queue_wait_seconds), nl=False)


@main.command("retry-failed")
@click.option(
    "--agency", "agencies", multiple=True, help="Only this agency's steps (again for more)."
)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]),
    help="Only steps that failed at or after this time (UTC).",
)
@click.option("--dry-run", is_flag=True, help="Only count what would be sent again.")
@with_appcontext
def retry_failed_command(agencies: tuple[str, ...], since: Any, dry_run: bool) -> None:
    """Send again the steps that failed at their agency, e.g. after its system was down, and
    send now those still waiting for a scheduled retry."""

    unknown = sorted(set(agencies) - set(AGENCIES))
    if unknown:
        known = ", ".join(sorted(AGENCIES))
        raise click.BadParameter(f"no agency {', '.join(unknown)} (there are {known})")
    moment = since.replace(tzinfo=dt.UTC) if since else None
    counts = retry_failed(agencies, moment, dry_run)
    verb = "would be sent again" if dry_run else "sent again"
    for agency, count in counts.items():
        click.echo(f"{agency}: {count} failed step{'' if count == 1 else 's'} {verb}")
    scheduled = send_scheduled_now(agencies, dry_run)
    verb = "would be sent now" if dry_run else "sent now"
    for agency, count in scheduled.items():
        steps = "step" if count == 1 else "steps"
        click.echo(f"{agency}: {count} {steps} waiting for a scheduled retry {verb}")
    if not counts and not scheduled:
        click.echo("No failed step to send again.")


@main.group("sandbox")
def sandbox() -> None:
    """The simulated agencies."""


@sandbox.command("ledger")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--agency", default=None, help="Only this agency.")
@with_appcontext
def ledger_command(as_json: bool, agency: str | None) -> None:
    """What the simulated agencies received: one entry per received submission, correction
    or withdrawal (`kind`)."""
    ledger = current_app.extensions["ledger"]
    entries = [entry.as_dict() for entry in ledger.everything(agency)]
    if as_json:
        click.echo(json.dumps(entries, indent=2))
        return
    for entry in entries:
        click.echo(
            f"{entry['agency']:<20} {entry['kind']:<10} {entry['reference']:<18} "
            f"case {entry['case_id']} "
            f"step {entry['step']} x{entry['times_received']}: {', '.join(entry['fields'])}"
        )


sandbox.add_command(register_event_command)


@main.command("run")
@click.option("--port", default=5000, show_default=True, help="Port of the web server.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--concurrency", default=2, show_default=True, help="Worker processes.")
def run_command(port: int, host: str, concurrency: int) -> None:
    """Embedded Redis + SQLite + web + worker in one command; Ctrl-C stops all of it."""

    supervisor = Supervisor()
    redis_server, mail_server = None, None
    try:
        app = create_app()
        if not os.environ.get("REDIS_URL"):
            redis_server = EmbeddedRedis(Path(app.instance_path) / "redis").start()
            os.environ["REDIS_URL"] = redis_server.url
        if not os.environ.get("SMTP_URL"):  # every e-mail caught, listed at /dev-mail
            caught = caught_file(app.instance_path)
            caught.parent.mkdir(parents=True, exist_ok=True)
            mail_server = EmbeddedSmtp(caught).start()
            os.environ["SMTP_URL"] = mail_server.url
        if redis_server or mail_server:
            app = create_app()
        os.environ.setdefault("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
        with app.app_context():
            added = prepare_database()
        click.echo(f"Database ready ({added} people seeded); Redis at {os.environ['REDIS_URL']}.")
        if mail_server:
            click.echo(f"E-mail is caught, not sent: see http://{host}:{port}/dev-mail")
        env = dict(os.environ)
        supervisor.add("worker", lambda: start_worker(env, all_queues(), concurrency))
        supervisor.add("beat", lambda: start_beat(env))
        stop_on_signals()
        click.echo(f"Kontaktpunkt is running at http://{host}:{port}/  (Ctrl-C stops it)")
        run_simple(host, port, app, threaded=True, use_reloader=False)
    except KeyboardInterrupt:
        pass
    finally:
        supervisor.stop()
        if redis_server:
            redis_server.stop()
        if mail_server:
            mail_server.stop()
        click.echo("Stopped.")

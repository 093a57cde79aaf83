"""The steps of the app factory, each short."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask, g
from werkzeug.middleware.proxy_fix import ProxyFix

from agencies.catalogue import AGENCIES
from agencies.clock import SWEDEN
from agencies.population import use_records
from agencies.registers.recorded import PopulationRegister
from agencies.registry import Adapters, AdapterSettings
from agencies.sandbox import Ledger
from agencies.simulated import Behaviour
from contactpoint.api import register_api
from contactpoint.auth import session_citizen
from contactpoint.auth.pages import register_sessions
from contactpoint.business.pages import register_business
from contactpoint.citizen.pages import register_citizen_pages
from contactpoint.confirmations import register_confirmations
from contactpoint.corrections import register_corrections
from contactpoint.db.engines import engine_options, sqlite_pragmas
from contactpoint.db.proactive_store import ProactiveSqlStore
from contactpoint.db.store import SqlStore
from contactpoint.devidp import register_devidp
from contactpoint.extensions import (
    api,
    babel,
    csrf,
    db,
    migrate,
    ping_after_idle,
)
from contactpoint.messages import register_messages
from contactpoint.notifications import register_notifications
from contactpoint.notifications.devmail import register_devmail
from contactpoint.officer.pages import register_officer_pages
from contactpoint.platform.breaker_board import RedisBoard
from contactpoint.platform.celery_app import celery_init_app
from contactpoint.platform.frontend import register_frontend
from contactpoint.platform.headers import register_security_headers
from contactpoint.platform.health import bp as health_bp
from contactpoint.platform.i18n import current_language, format_locale, text
from contactpoint.platform.observability import (
    MeteredStore,
    breaker_changed,
    init_observability,
    step_agency,
)
from contactpoint.platform.text_guard import refuse_nul
from contactpoint.platform.translations import compile_translations
from contactpoint.proactive import register_proactive
from contactpoint.statistics import register_statistics
from workflows import (
    OPEN_CASE_STATUSES,
    Ball,
    CaseStatus,
    StepStatus,
    durability_tasks,  # noqa: F401  (registers recovery and withdrawal)
    proactive,
    runtime,
)
from workflows.breakers import Breakers
from workflows.engine import RetryPolicy
from workflows.proactive import tasks as proactive_tasks  # noqa: F401  (registers its tasks)
from workflows.retention import Retention
from workflows.statistics import tasks as statistics_tasks  # noqa: F401  (registers the roll-up)
from workflows.tasks import CeleryDispatcher

MIGRATIONS = str(Path(__file__).parent / "db" / "migrations")


# The status vocabulary, for templates to compare with as the code does.
STATUS_WORDS = {
    "StepStatus": StepStatus,
    "CaseStatus": CaseStatus,
    "Ball": Ball,
    "OPEN_CASE_STATUSES": OPEN_CASE_STATUSES,
}


def register_extensions(app: Flask) -> None:
    """Bind the extensions and the Celery app."""
    hops = app.config["PROXY_HOPS"]
    if hops:  # the client's address and scheme as the proxies in front saw them
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS, render_as_batch=True)
    csrf.init_app(app)
    app.before_request(refuse_nul)  # no NUL in any text a request sends
    register_security_headers(app)
    app.config.setdefault(
        "BABEL_TRANSLATION_DIRECTORIES",
        compile_translations(Path(app.instance_path) / "translations"),
    )
    # Dates and times as people in Sweden read them: Swedish time, and British English formats.
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", SWEDEN.key)
    babel.init_app(app, locale_selector=format_locale, default_locale="sv")
    app.context_processor(_template_globals)
    app.jinja_env.globals.update(STATUS_WORDS)
    api.init_app(app)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    )
    celery_init_app(app)
    init_observability(app)
    with app.app_context():
        if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            sa.event.listen(db.engine, "connect", sqlite_pragmas)
        else:
            ping_after_idle(db.engine)


def _template_globals() -> dict[str, Any]:
    language = current_language()
    person = g.get("person")
    if person is None and not g.get("database_unavailable"):  # a 503 page asks it nothing
        person = session_citizen()
    return {"lang": language, "t": text, "person": person, "retention": runtime.current().retention}


def register_workflow_runtime(app: Flask) -> None:
    """Give the workflow tasks their store, adapters and dispatcher."""
    sandbox_url = app.config["SANDBOX_DATABASE_URL"]
    ledger = Ledger(sandbox_url, engine_options(sandbox_url))  # its writers in turn, as the app's
    behaviour = Behaviour(
        latency_ms=app.config["AGENCY_LATENCY_MS"],
        failure_rate=app.config["AGENCY_FAILURE_RATE"],
        timeout_rate=app.config["AGENCY_TIMEOUT_RATE"],
        complement_rate=app.config["AGENCY_COMPLEMENT_RATE"],
    )
    board = RedisBoard(app.config["REDIS_URL"], AGENCIES)  # the breakers of every process
    adapters = Breakers(
        Adapters(
            AdapterSettings(
                ledger=ledger,
                behaviour=behaviour,
                urls=app.config["AGENCY_URLS"],
                failure_rates=app.config["AGENCY_FAILURE_RATES"],
            ),
            choices=app.config["AGENCY_ADAPTER_OVERRIDES"],
        ),
        fail_max=app.config["BREAKER_FAILURES"],
        reset_s=app.config["BREAKER_RESET_S"],
        changed=breaker_changed,
        board=board,
        trials=app.config["BREAKER_TRIALS"],
    )
    app.extensions["ledger"] = ledger
    app.extensions["dispose_after_fork"] = [ledger.dispose, board.reset]
    durable = SqlStore(
        step_timeout_s=app.config["STEP_TIMEOUT_S"],
        dispatch_timeout_s=app.config["DISPATCH_TIMEOUT_S"],
        recovery_grace_s=app.config["RECOVERY_INTERVAL_S"],
    )
    store = MeteredStore(durable, step_agency)
    retry = RetryPolicy(
        base_delay_s=app.config["RETRY_BASE_DELAY_S"],
        outage_for_s=app.config["RETRY_OUTAGE_FOR_S"],
        outage_every_s=app.config["RETRY_OUTAGE_EVERY_S"],
    )
    retention = Retention(
        closed_case_days=app.config["CASE_RETENTION_DAYS"],
        draft_days=app.config["DRAFT_RETENTION_DAYS"],
        audit_days=app.config["AUDIT_RETENTION_DAYS"],
        message_days=app.config["MESSAGE_RETENTION_DAYS"],
    )
    runtime.configure(runtime.Runtime(store, adapters, CeleryDispatcher(), retry, retention))
    register = PopulationRegister(lambda: ledger.engine)  # the register's own records
    use_records(register)
    app.extensions["population_register"] = register
    proactive.configure(proactive.Proactive(ProactiveSqlStore(), register))


def register_blueprints(app: Flask) -> None:
    """Pages, the REST API and the health check."""
    register_frontend(app)
    app.register_blueprint(health_bp)
    register_sessions(app)
    register_devidp(app)
    register_api(app)
    register_citizen_pages(app)
    register_corrections(app)
    register_messages(app)
    register_confirmations(app)
    register_proactive(app)
    register_business(app)
    register_notifications(app)
    register_devmail(app)
    register_officer_pages(app)
    register_statistics(app)

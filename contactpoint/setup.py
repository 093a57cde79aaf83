"""The steps of the app factory, each short."""

from __future__ import annotations

import logging
from contextlib import suppress
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, ServiceUnavailable, TooManyRequests
from werkzeug.middleware.proxy_fix import ProxyFix

from agencies.catalogue import AGENCIES
from agencies.clock import SWEDEN
from agencies.registry import Adapters, AdapterSettings
from agencies.sandbox import Ledger
from agencies.simulated import Behaviour
from contactpoint.config import engine_options
from contactpoint.db.store import SqlStore
from contactpoint.extensions import (
    DATABASE_RETRY_AFTER_S,
    api,
    babel,
    csrf,
    database_error_line,
    database_unavailable,
    db,
    forget_connections_after,
    migrate,
    ping_after_idle,
)
from contactpoint.platform.breaker_board import RedisBoard
from contactpoint.platform.celery_app import celery_init_app
from contactpoint.platform.i18n import current_language, format_locale
from contactpoint.platform.observability import (
    MeteredStore,
    breaker_changed,
    init_observability,
    step_agency,
)
from contactpoint.platform.rate_limits import RateLimited
from contactpoint.platform.translations import compile_translations
from workflows import (
    durability_tasks,  # noqa: F401  (registers recovery and withdrawal)
    runtime,
)
from workflows.breakers import Breakers
from workflows.engine import RetryPolicy
from workflows.retention import Retention
from workflows.tasks import CeleryDispatcher

MIGRATIONS = str(Path(__file__).parent / "db" / "migrations")

log = logging.getLogger(__name__)


def register_extensions(app: Flask) -> None:
    """Bind the extensions and the Celery app."""
    hops = app.config["PROXY_HOPS"]
    if hops:  # the client's address and scheme as the proxies in front saw them
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS, render_as_batch=True)
    csrf.init_app(app)
    app.config.setdefault(
        "BABEL_TRANSLATION_DIRECTORIES",
        compile_translations(Path(app.instance_path) / "translations"),
    )
    # Dates and times as people in Sweden read them: Swedish time, and British English formats.
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", SWEDEN.key)
    babel.init_app(app, locale_selector=format_locale, default_locale="sv")
    app.context_processor(_template_globals)
    api.init_app(app)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "opaque token"}
    )
    celery_init_app(app)
    init_observability(app)
    with app.app_context():
        if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            sa.event.listen(db.engine, "connect", _sqlite_pragmas)
        else:
            ping_after_idle(db.engine)


def _template_globals() -> dict[str, Any]:
    from contactpoint.auth import session_citizen
    from contactpoint.platform.i18n import text

    language = current_language()
    person = g.get("person")
    if person is None and not g.get("database_unavailable"):  # a 503 page asks it nothing
        person = session_citizen()
    return {"lang": language, "t": text, "person": person, "retention": runtime.current().retention}


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL is safe against a process crash and spares an fsync per commit.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


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
    )
    runtime.configure(runtime.Runtime(store, adapters, CeleryDispatcher(), retry, retention))


def register_blueprints(app: Flask) -> None:
    """Pages, the REST API and the health check."""
    from contactpoint.api import register_api
    from contactpoint.citizen.pages import register_citizen_pages
    from contactpoint.officer.pages import register_officer_pages
    from contactpoint.platform.frontend import register_frontend
    from contactpoint.platform.health import bp as health_bp

    register_frontend(app)
    app.register_blueprint(health_bp)
    register_api(app)
    register_citizen_pages(app)
    register_officer_pages(app)


def register_errorhandlers(app: Flask) -> None:
    """JSON errors under /api, pages elsewhere; never a stack trace."""

    def handle_http(error: HTTPException) -> Any:
        if request.path.startswith("/api/"):
            return api.handle_http_exception(error)
        return render_template("error.html", error=error), error.code or 500

    def handle_unexpected(error: Exception) -> Any:
        app.logger.exception("unhandled error on %s", request.path)
        db.session.rollback()
        if request.path.startswith("/api/"):
            return jsonify(message="Something went wrong on our side. Try again later."), 500
        return render_template("error.html", error=None), 500

    def handle_database(error: sa.exc.SQLAlchemyError) -> Any:
        if not database_unavailable(error):
            return handle_unexpected(error)
        return _database_unavailable(error)

    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(RateLimited, _rate_limited)
    app.register_error_handler(sa.exc.DBAPIError, handle_database)
    app.register_error_handler(sa.exc.TimeoutError, handle_database)
    app.register_error_handler(Exception, handle_unexpected)


def _database_unavailable(error: sa.exc.SQLAlchemyError) -> Any:
    """503 with Retry-After: JSON under /api, a page elsewhere. One line in the log, no stack
    trace: during an outage every request ends here, and the cause is the same."""
    reason = database_error_line(error)
    log.warning("database unavailable (%s %s): %s", request.method, request.path, reason)
    g.database_unavailable = True
    with suppress(sa.exc.SQLAlchemyError):  # the connection may be gone: the pool replaces it
        db.session.rollback()
    forget_connections_after(error)
    seconds = DATABASE_RETRY_AFTER_S
    # Not kept by any cache: the page holds what the citizen sent, to send it again.
    headers = {"Retry-After": str(seconds), "Cache-Control": "no-store"}
    if request.path.startswith("/api/"):
        message = f"The service cannot reach its database just now. Try again in {_wait(seconds)}."
        if request.method not in ("GET", "HEAD"):
            message += (
                " What this request sent may have been stored as the database went: read it"
                " back (a case submitted: list the cases) before sending it again."
            )
        body = {"code": 503, "status": "Service Unavailable", "message": message}
        return jsonify({**body, "retry_after_s": seconds}), 503, headers
    return render_template("error.html", error=ServiceUnavailable()), 503, headers


RATE_LIMIT_MESSAGES = {
    "submissions": "This person has sent as many cases as one may ({per}). Nothing was sent: "
    "try again in {wait}.",
    "agency_token_failures": "Too many wrong secrets from this address ({per}). Try again in "
    "{wait}.",
}


def _wait(seconds: int) -> str:
    return f"{seconds} seconds" if seconds < 120 else f"about {round(seconds / 60)} minutes"


def _rate_limited(error: RateLimited) -> Any:
    """429 with Retry-After: JSON under /api; a page elsewhere (a form that counts catches
    RateLimited itself, to keep what was typed and say when)."""
    seconds = error.retry_after_s
    headers = {"Retry-After": str(seconds)}
    if request.path.startswith("/api/"):
        message = RATE_LIMIT_MESSAGES[error.kind].format(per=error.item, wait=_wait(seconds))
        body = {"code": 429, "status": "Too Many Requests", "message": message}
        return jsonify({**body, "retry_after_s": seconds}), 429, headers
    page = render_template("error.html", error=TooManyRequests())
    return page, 429, headers

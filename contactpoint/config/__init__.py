"""Settings, read from the environment; the development default needs nothing.

`load_config` reads them a part at a time, each part a short function below; `readers` checks
one value each and says what is wrong with it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa

from contactpoint.config.provider import check_sign_in, fill_development_clients, sign_in
from contactpoint.config.readers import (
    ConfigError,
    agency_failure_rates,
    api_keys,
    count,
    days,
    env,
    http_url,
    kilobytes,
    limit,
    limit_windows,
    mail_address,
    names,
    number,
    one_of,
    own_failure_rates,
    seconds,
    smtp_url,
    upper_word,
)
from contactpoint.db.engines import engine_options
from contactpoint.mina_arenden.keys import MIN_KEY_LENGTH as MIN_API_KEY_LENGTH

__all__ = ["ConfigError", "limit_windows", "load_config", "normalise_database_url", "or_exit"]

T = TypeVar("T")
# The shortest PERSONAL_DATA_KEY production accepts (`secrets.token_urlsafe(32)` gives 43).
MIN_KEY_LENGTH = 32
# PostgreSQL's values of synchronous_commit, from not waiting for the disk to waiting for
# every synchronous standby to have applied the commit.
SYNCHRONOUS_COMMIT = ("off", "local", "on", "remote_write", "remote_apply")
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
# What every operation of the API has in common, for the integrators who read its spec.
API_DESCRIPTION = (
    "Errors are JSON with `code`, `status` and `message`; a 422 names each field it refuses "
    "in `errors`. A 429 or a 503 carries `Retry-After` (and `retry_after_s` in the body): "
    "send the request again after that many seconds. A 503 means the service cannot reach "
    "its database for a moment (a restart, a failover); a case being submitted then may "
    "have been stored, so list the cases before submitting it again."
)


def or_exit(build: Callable[[], T]) -> T:
    """What `build` makes (the app), or the process ends with one line, `Error: …`, naming the
    setting it cannot use: for a worker, beat or gunicorn, where no command prints it."""
    try:
        return build()
    except ConfigError as error:
        raise SystemExit(f"Error: {error}") from None


def load_config(instance_path: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the app settings from the environment, then apply explicit overrides."""
    overrides = overrides or {}
    environment = overrides.get("ENVIRONMENT") or env("CONTACTPOINT_ENV", "development")
    production = environment == "production"
    config: dict[str, Any] = {
        "ENVIRONMENT": environment,
        **_secrets_and_sessions(production),
        **sign_in(),
        **_database_and_redis(),
        **_simulated_agencies(),
        **_durability(),
        **_retention_and_limits(),
        **_request_limits(),
        **_agency_systems(),
        **_mina_arenden(),
        **_mail(production),
        **_api(),
    }
    if not production:
        _development_defaults(config, Path(instance_path))
    config.update(overrides)
    _check(config, Path(instance_path))
    config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        config["SQLALCHEMY_DATABASE_URI"],
        config["PREPARED_STATEMENTS"],
        config["WORKER_SYNCHRONOUS_COMMIT"] if config["WORKER"] else None,
    )
    return config


def _secrets_and_sessions(production: bool) -> dict[str, Any]:
    return {
        "SECRET_KEY": env("SECRET_KEY"),
        # Seals personal identity numbers and answers at rest (`protection`); the same on
        # every host, kept apart from SECRET_KEY, which may change without making data unreadable.
        "PERSONAL_DATA_KEY": env("PERSONAL_DATA_KEY"),
        # Former keys, comma-separated: what they sealed still opens until `contactpoint
        # reseal` has sealed it again under PERSONAL_DATA_KEY.
        "PERSONAL_DATA_OLD_KEYS": names("PERSONAL_DATA_OLD_KEYS"),
        # The simulated eID and agency tokens exist for development and tests only.
        "SIMULATED_EID": not production,
        # In production the cookie's name says what it is to the browser (`__Host-`): sent over
        # HTTPS only, for the whole site and this host alone, so no other host or page path can
        # set one in its place.
        "SESSION_COOKIE_NAME": "__Host-session" if production else "session",
        "SESSION_COOKIE_PATH": "/",
        "SESSION_COOKIE_DOMAIN": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "WTF_CSRF_TIME_LIMIT": None,
        # Personal identity numbers of the administrators who may read citizens' feedback.
        "ADMINS": names("CONTACTPOINT_ADMINS"),
        # Where people write about the service itself (its contact page); none: not staffed.
        "CONTACT_EMAIL": env("CONTACTPOINT_CONTACT_EMAIL"),
    }


def _database_and_redis() -> dict[str, Any]:
    return {
        "SQLALCHEMY_DATABASE_URI": env("DATABASE_URL"),
        "REDIS_URL": env("REDIS_URL"),
        "SANDBOX_DATABASE_URL": env("CONTACTPOINT_SANDBOX_URL"),
        # PostgreSQL: keep statements prepared on the server. Workers do (`worker.py`): they
        # run the same few statements and commit. Web requests end their reads in a rollback,
        # after which the driver drops every prepared statement and prepares anew.
        "PREPARED_STATEMENTS": False,
        # This process is a Celery worker (`worker.py`): on PostgreSQL its commits follow
        # WORKER_SYNCHRONOUS_COMMIT. What a worker writes, it can write again: a step lost
        # with a commit is sent again under the same idempotency key, and a person's later
        # commit makes every earlier one durable too (see docs/operations.md).
        "WORKER": False,
        "WORKER_SYNCHRONOUS_COMMIT": one_of(
            "CONTACTPOINT_WORKER_SYNCHRONOUS_COMMIT", SYNCHRONOUS_COMMIT, "off"
        ),
        # How many case statuses (per language) each web process keeps rendered; 0: none.
        "STATUS_CACHE_SIZE": int(env("CONTACTPOINT_STATUS_CACHE_SIZE", "5000") or 0),
        # How many pages (My pages, per person, session and language) each keeps; 0: none.
        "PAGE_CACHE_SIZE": int(env("CONTACTPOINT_PAGE_CACHE_SIZE", "1000") or 0),
    }


def _simulated_agencies() -> dict[str, Any]:
    """How the simulated agencies and base registers behave."""
    return {
        "AGENCY_LATENCY_MS": number("CONTACTPOINT_AGENCY_LATENCY_MS", 300),
        "AGENCY_FAILURE_RATE": number("CONTACTPOINT_AGENCY_FAILURE_RATE", 0),
        # CONTACTPOINT_AGENCY_<ID>_FAILURE_RATE=1 takes one simulated agency down (a drill).
        "AGENCY_FAILURE_RATES": agency_failure_rates(),
        "AGENCY_TIMEOUT_RATE": number("CONTACTPOINT_AGENCY_TIMEOUT_RATE", 0),
        "AGENCY_COMPLEMENT_RATE": number("CONTACTPOINT_AGENCY_COMPLEMENT_RATE", 0),
        # CONTACTPOINT_REGISTER_<ID>_FAILURE_RATE=1 takes one register down (e.g. POPULATION).
        "REGISTER_LATENCY_MS": number("CONTACTPOINT_REGISTER_LATENCY_MS", 100),
        "REGISTER_FAILURE_RATE": number("CONTACTPOINT_REGISTER_FAILURE_RATE", 0),
        "REGISTER_FAILURE_RATES": {
            name: float(value) for name, value in own_failure_rates("REGISTER").items()
        },
    }


def _durability() -> dict[str, Any]:
    """How long one attempt at a step may run before recovery drives it again, how long a sent
    step may wait for a worker, how often recovery looks; retries and circuit breakers."""
    return {
        "STEP_TIMEOUT_S": number("CONTACTPOINT_STEP_TIMEOUT_S", 120),
        "DISPATCH_TIMEOUT_S": number("CONTACTPOINT_DISPATCH_TIMEOUT_S", 600),
        "RECOVERY_INTERVAL_S": number("CONTACTPOINT_RECOVERY_INTERVAL_S", 10),
        "RETRY_BASE_DELAY_S": number("CONTACTPOINT_RETRY_BASE_DELAY_S", 1),
        # An agency still unreachable after the quick retries: its steps are tried again
        # every 5 to 10 minutes for about a day (`workflows.engine.RetryPolicy`); 0 fails them.
        "RETRY_OUTAGE_FOR_S": seconds("CONTACTPOINT_RETRY_OUTAGE_FOR_S", 86400),
        "RETRY_OUTAGE_EVERY_S": seconds("CONTACTPOINT_RETRY_OUTAGE_EVERY_S", 600, least=1),
        # After this many transient failures in a row, a worker process stops calling the
        # agency for BREAKER_RESET_S (`workflows.breakers`); 0 switches the breakers off.
        "BREAKER_FAILURES": count("CONTACTPOINT_BREAKER_FAILURES", 5),
        "BREAKER_RESET_S": seconds("CONTACTPOINT_BREAKER_RESET_S", 30),
        # Until this many trials in a row have failed, an attempt the open breaker skips is
        # not counted: the step waits for the next trial. 0 counts every skipped attempt.
        "BREAKER_TRIALS": count("CONTACTPOINT_BREAKER_TRIALS", 3),
        # Celery task events for Flower and `celery events`: off by default, as in Celery, since
        # each costs a broker message per task; Flower switches the workers' events on itself.
        "TASK_EVENTS": (env("CONTACTPOINT_TASK_EVENTS") or "").lower() in ("1", "true", "yes"),
    }


def _retention_and_limits() -> dict[str, Any]:
    return {
        # Retention (`workflows.retention`): days a closed case, a draft never sent and the
        # audit trail are kept, and how often a pass removes what has expired.
        "CASE_RETENTION_DAYS": days("CONTACTPOINT_CASE_RETENTION_DAYS", 365),
        "DRAFT_RETENTION_DAYS": days("CONTACTPOINT_DRAFT_RETENTION_DAYS", 30),
        "AUDIT_RETENTION_DAYS": days("CONTACTPOINT_AUDIT_RETENTION_DAYS", 1825),
        "MESSAGE_RETENTION_DAYS": days("CONTACTPOINT_MESSAGE_DAYS", 365),
        "RETENTION_INTERVAL_S": number("CONTACTPOINT_RETENTION_INTERVAL_S", 3600),
        # How often beat looks for an ended month to release in the open statistics, and
        # the publisher named in their metadata for data portals.
        "STATISTICS_INTERVAL_S": number("CONTACTPOINT_STATISTICS_INTERVAL_S", 3600),
        "STATISTICS_PUBLISHER": env("CONTACTPOINT_STATISTICS_PUBLISHER") or "Kontaktpunkt",
        # How often beat sends the proactive pass (reminders of register dates and deadlines).
        "PROACTIVE_INTERVAL_S": number("CONTACTPOINT_PROACTIVE_INTERVAL_S", 3600),
        # A step's reads by its agency in one role within a window of this many minutes are
        # one entry of the citizen's sharing log, with a count and the latest time; 0: each.
        "VIEW_WINDOW_MINUTES": count("CONTACTPOINT_VIEW_WINDOW_MINUTES", 10),
        # How often beat has the audit trail's head logged (`contactpoint.audit.head`).
        "AUDIT_HEAD_INTERVAL_S": seconds("CONTACTPOINT_AUDIT_HEAD_INTERVAL_S", 300, least=1),
        # Rate limits (`rate_limits`): cases one person may send, wrong agency secrets one
        # client address may try; and how many proxies in front set X-Forwarded-For.
        "SUBMISSION_LIMIT": limit("CONTACTPOINT_SUBMISSION_LIMIT", "20 per hour"),
        "VERIFICATION_LIMIT": limit("CONTACTPOINT_VERIFICATION_LIMIT", "5 per hour"),
        "TOKEN_FAILURE_LIMIT": limit("CONTACTPOINT_TOKEN_FAILURE_LIMIT", "10 per minute"),
        "PROXY_HOPS": count("CONTACTPOINT_PROXY_HOPS", 0),
    }


def _request_limits() -> dict[str, Any]:
    """How large a request may be: a whole case is a few kilobytes, so more is refused (413)
    before it is read and parsed. (How deep its JSON may nest: `platform.json_bodies`.)"""
    return {
        "MAX_CONTENT_LENGTH": kilobytes("CONTACTPOINT_MAX_REQUEST_KB", 256) * 1024,
        # A multipart form's text fields, each, and how many parts it may have (the pages'
        # forms are urlencoded and small: MAX_CONTENT_LENGTH bounds those).
        "MAX_FORM_MEMORY_SIZE": 64 * 1024,
        "MAX_FORM_PARTS": 200,
        # Strict-Transport-Security for the hosts under the service's own too (ASVS level 2):
        # `no` only where such a host must still be reached over plain HTTP.
        "HSTS_INCLUDE_SUBDOMAINS": one_of(
            "CONTACTPOINT_HSTS_INCLUDE_SUBDOMAINS", ("yes", "no"), "yes"
        )
        == "yes",
    }


def _agency_systems() -> dict[str, Any]:
    """Each agency's adapter, its system's URL and secrets, by agency id."""
    adapters = "CONTACTPOINT_ADAPTER_"
    return {
        # CONTACTPOINT_CALLBACK_SECRET_<AGENCY>: the HMAC secret of its callbacks.
        "CALLBACK_SECRETS": _by_agency("CONTACTPOINT_CALLBACK_SECRET_", lambda key, value: value),
        "CALLBACK_TOLERANCE_S": 300,
        # CONTACTPOINT_ADAPTER_<AGENCY>=http swaps one agency.
        "AGENCY_ADAPTER_OVERRIDES": _by_agency(adapters, lambda key, _: not key.endswith("_URL")),
        "AGENCY_URLS": {
            agency.removesuffix("_url"): url
            for agency, url in _by_agency(adapters, lambda key, _: key.endswith("_URL")).items()
        },
        # CONTACTPOINT_AGENCY_SECRET_<AGENCY>: the client secret of its system (client
        # credentials for the agency API).
        "AGENCY_CLIENT_SECRETS": _by_agency("CONTACTPOINT_AGENCY_SECRET_", lambda key, v: v),
    }


def _by_agency(prefix: str, keep: Callable[[str, str], object]) -> dict[str, str]:
    """`<PREFIX><AGENCY>` variables that `keep` keeps, by lowercase agency id."""
    return {
        key.removeprefix(prefix).lower(): value
        for key, value in os.environ.items()
        if key.startswith(prefix) and keep(key, value)
    }


def _mina_arenden() -> dict[str, Any]:
    """Kontaktpunkt as a Mina ärenden producer (`contactpoint.mina_arenden`)."""
    return {
        # The keys of Skatteverket's forwarding service, comma-separated (two during a change
        # of key), held as digests; none: the endpoint is not offered (404).
        "MINA_ARENDEN_KEY_HASHES": api_keys("MINA_ARENDEN_API_KEYS", MIN_API_KEY_LENGTH),
        # The first part of every customer event's type: PREFIX.LIFE_EVENT.STEP.EVENT.
        "MINA_ARENDEN_PREFIX": upper_word("CONTACTPOINT_MINA_ARENDEN_PREFIX", "KONTAKTPUNKT"),
        # The producer's name in each customer event and answer.
        "MINA_ARENDEN_PRODUCER": env("CONTACTPOINT_MINA_ARENDEN_PRODUCER", "Kontaktpunkt"),
        # Wrong keys one client address may send before it waits (429).
        "MINA_ARENDEN_FAILURE_LIMIT": limit(
            "CONTACTPOINT_MINA_ARENDEN_FAILURE_LIMIT", "10 per minute"
        ),
    }


def _mail(production: bool) -> dict[str, Any]:
    """E-mail: the SMTP server, the sender, the address links point to, and the limits of
    notifications (`contactpoint.notifications`)."""
    return {
        # smtp://host:25, smtp+starttls://user:pass@host:587 or smtps://host:465; `run` embeds one.
        "SMTP_URL": smtp_url("SMTP_URL"),
        "MAIL_FROM": mail_address(
            "MAIL_FROM", None if production else "Kontaktpunkt <noreply@kontaktpunkt.localhost>"
        ),
        # Where the service is reached: the links in e-mails start with it.
        "PUBLIC_URL": http_url(
            "CONTACTPOINT_PUBLIC_URL", None if production else "http://127.0.0.1:5000"
        ),
        # At most this many notifications to one person an hour; later messages fold into one
        # sent when the hour allows. 0: no limit.
        "NOTIFICATIONS_PER_HOUR": count("CONTACTPOINT_NOTIFICATIONS_PER_HOUR", 5),
        # How long a worker holds a notification it sends before recovery may send it again.
        "NOTIFICATION_LEASE_S": seconds("CONTACTPOINT_NOTIFICATION_LEASE_S", 300, least=1),
        "NOTIFICATION_ATTEMPTS": max(1, count("CONTACTPOINT_NOTIFICATION_ATTEMPTS", 12)),
        # How long a verification link works.
        "VERIFY_LINK_DAYS": days("CONTACTPOINT_VERIFY_LINK_DAYS", 3),
        # /dev-mail lists what `run`'s embedded SMTP server caught (never in production).
        "DEV_MAIL": not production,
    }


def _api() -> dict[str, Any]:
    return {
        "API_TITLE": "Kontaktpunkt API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "API_SPEC_OPTIONS": {"info": {"description": API_DESCRIPTION}},
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        "OPENAPI_SWAGGER_UI_URL": "/api/v1/docs/assets/",
    }


def _development_defaults(config: dict[str, Any], data_dir: Path) -> None:
    """What development needs and production must be given: secrets that are no secret, SQLite
    in the instance folder, Redis on this host."""
    config["SECRET_KEY"] = config["SECRET_KEY"] or "development-only-not-secret"
    config["PERSONAL_DATA_KEY"] = (
        config["PERSONAL_DATA_KEY"] or "development-only-personal-data-key-not-secret"
    )
    config["SQLALCHEMY_DATABASE_URI"] = config["SQLALCHEMY_DATABASE_URI"] or (
        f"sqlite:///{data_dir / 'contactpoint.db'}"
    )
    config["REDIS_URL"] = config["REDIS_URL"] or "redis://127.0.0.1:6379/0"
    fill_development_clients(config)


def _check(config: dict[str, Any], data_dir: Path) -> None:
    """The URLs usable, and production given every secret it needs and no simulated eID."""
    if config.get("SQLALCHEMY_DATABASE_URI"):
        config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
            config["SQLALCHEMY_DATABASE_URI"]
        )
        _check_database_url(config["SQLALCHEMY_DATABASE_URI"])
    if config.get("REDIS_URL") and not str(config["REDIS_URL"]).startswith(REDIS_SCHEMES):
        raise ConfigError("REDIS_URL must be a redis://, rediss:// or unix:// URL")
    if not config["SANDBOX_DATABASE_URL"]:
        config["SANDBOX_DATABASE_URL"] = f"sqlite:///{data_dir / 'sandbox.db'}"
    if config["ENVIRONMENT"] != "production":
        return
    required = {
        "SECRET_KEY": "SECRET_KEY",
        "PERSONAL_DATA_KEY": "PERSONAL_DATA_KEY",
        "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
        "REDIS_URL": "REDIS_URL",
    }
    missing = [name for name, key in required.items() if not config.get(key)]
    if missing:
        raise ConfigError(f"production settings need {', '.join(missing)} in the environment")
    if len(str(config.get("PERSONAL_DATA_KEY"))) < MIN_KEY_LENGTH:
        raise ConfigError(f"PERSONAL_DATA_KEY needs at least {MIN_KEY_LENGTH} characters")
    if config.get("SIMULATED_EID"):
        raise ConfigError("the simulated eID cannot be enabled with production settings")
    mail = {
        "SMTP_URL": "SMTP_URL",
        "MAIL_FROM": "MAIL_FROM",
        "CONTACTPOINT_PUBLIC_URL": "PUBLIC_URL",
    }
    missing = [name for name, key in mail.items() if not config.get(key)]
    if missing:
        raise ConfigError(f"production settings need {', '.join(missing)} (e-mail)")
    if config.get("DEV_MAIL"):
        raise ConfigError("/dev-mail cannot be mounted with production settings")
    check_sign_in(config)


def _check_database_url(url: str) -> None:
    """A URL of PostgreSQL or SQLite, or a ConfigError that says what DATABASE_URL should be."""
    try:
        backend = sa.engine.make_url(url).get_backend_name()
    except sa.exc.ArgumentError:
        backend = None
    if backend not in ("postgresql", "sqlite"):
        raise ConfigError(
            "DATABASE_URL must be a PostgreSQL or SQLite URL "
            "(postgresql://user@host:5432/name or sqlite:////path/to/file.db)"
        )


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for postgresql:// URLs."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url

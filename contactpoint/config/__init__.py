"""Settings, read from the environment; the development default needs nothing.

`load_config` reads them a part at a time, each part a short function: those of the app as a
whole below, the database and Redis in `storage`, the agencies in `agency_systems`, e-mail in
`mail`, sign-in in `provider`. `readers` checks one value each and says what is wrong with it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from contactpoint.config.agency_systems import agency_systems, simulated_agencies
from contactpoint.config.mail import check_mail, mail
from contactpoint.config.provider import check_sign_in, fill_development_clients, sign_in
from contactpoint.config.readers import (
    ConfigError,
    api_keys,
    count,
    days,
    env,
    kilobytes,
    limit,
    limit_windows,
    names,
    number,
    one_of,
    require,
    seconds,
    upper_word,
)
from contactpoint.config.storage import check_storage, database_and_redis, normalise_database_url
from contactpoint.db.engines import engine_options
from contactpoint.mina_arenden.keys import MIN_KEY_LENGTH as MIN_API_KEY_LENGTH

__all__ = ["ConfigError", "limit_windows", "load_config", "normalise_database_url", "or_exit"]

T = TypeVar("T")
# The shortest PERSONAL_DATA_KEY production accepts (`secrets.token_urlsafe(32)` gives 43).
MIN_KEY_LENGTH = 32
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
        **database_and_redis(),
        **simulated_agencies(),
        **_durability(),
        **_retention_and_limits(),
        **_request_limits(),
        **agency_systems(),
        **_mina_arenden(),
        **mail(production),
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
    check_storage(config, data_dir)
    if config["ENVIRONMENT"] != "production":
        return
    required = {
        "SECRET_KEY": "SECRET_KEY",
        "PERSONAL_DATA_KEY": "PERSONAL_DATA_KEY",
        "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
        "REDIS_URL": "REDIS_URL",
    }
    require(config, required, "in the environment")
    if len(str(config.get("PERSONAL_DATA_KEY"))) < MIN_KEY_LENGTH:
        raise ConfigError(f"PERSONAL_DATA_KEY needs at least {MIN_KEY_LENGTH} characters")
    if config.get("SIMULATED_EID"):
        raise ConfigError("the simulated eID cannot be enabled with production settings")
    check_mail(config)
    check_sign_in(config)

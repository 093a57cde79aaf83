"""Settings, read from the environment; the development default needs nothing."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from limits import RateLimitItem, parse_many

from agencies.catalogue import AGENCIES
from contactpoint.db import sqlite_writers

T = TypeVar("T")
DEFAULT_AGENCY_ADAPTER = "simulated"
# psycopg prepares a statement the fifth time a connection runs it (its own default).
PREPARE_AFTER = 5
# The shortest PERSONAL_DATA_KEY production accepts (`secrets.token_urlsafe(32)` gives 43).
MIN_KEY_LENGTH = 32


class ConfigError(RuntimeError):
    """The settings cannot start the app (e.g. production without a secret)."""


def or_exit(build: Callable[[], T]) -> T:
    """What `build` makes (the app), or the process ends with one line, `Error: …`, naming the
    setting it cannot use: for a worker, beat or gunicorn, where no command prints it."""
    try:
        return build()
    except ConfigError as error:
        raise SystemExit(f"Error: {error}") from None


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _days(name: str, default: int) -> int:
    """A retention period in whole days, at least 1."""
    value = _env(name, str(default)) or str(default)
    if not value.isdigit() or int(value) < 1:
        raise ConfigError(f"{name} must be a whole number of days, at least 1 (it is {value!r})")
    return int(value)


def _count(name: str, default: int) -> int:
    """A whole number, 0 or more."""
    value = _env(name, str(default)) or str(default)
    if not value.isdigit():
        raise ConfigError(f"{name} must be a whole number, 0 or more (it is {value!r})")
    return int(value)


def _one_of(name: str, choices: tuple[str, ...], default: str) -> str:
    """One of `choices`, in any case."""
    value = (_env(name) or default).strip().lower()
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)} (it is {value!r})")
    return value


# PostgreSQL's values of synchronous_commit, from not waiting for the disk to waiting for
# every synchronous standby to have applied the commit.
SYNCHRONOUS_COMMIT = ("off", "local", "on", "remote_write", "remote_apply")


def _seconds(name: str, default: float, least: float = 0) -> float:
    """A length of time in seconds, `least` or more."""
    value = _env(name) or str(default)
    try:
        seconds = float(value)
    except ValueError:
        seconds = least - 1
    if not least <= seconds < float("inf"):
        raise ConfigError(
            f"{name} must be a number of seconds, {least:g} or more (it is {value!r})"
        )
    return seconds


def _own_failure_rates(part: str) -> dict[str, str]:
    """`CONTACTPOINT_<PART>_<ID>_FAILURE_RATE` values by lowercase id, beside the shared
    `CONTACTPOINT_<PART>_FAILURE_RATE`: one simulated register or agency of its own."""
    prefix, suffix = f"CONTACTPOINT_{part}_", "_FAILURE_RATE"
    return {
        key.removeprefix(prefix).removesuffix(suffix).lower(): value
        for key, value in os.environ.items()
        if key.startswith(prefix) and key.endswith(suffix) and key != f"{prefix}FAILURE_RATE"
    }


def _agency_failure_rates() -> dict[str, float]:
    """The simulated agencies' own failure rates, by agency id (0 to 1)."""
    rates = {}
    for agency, value in _own_failure_rates("AGENCY").items():
        key = f"CONTACTPOINT_AGENCY_{agency.upper()}_FAILURE_RATE"
        if agency not in AGENCIES:
            known = ", ".join(sorted(AGENCIES))
            raise ConfigError(f"{key} names no agency (there are {known})")
        try:
            rate = float(value)
        except ValueError:
            rate = -1.0
        if not 0 <= rate <= 1:
            raise ConfigError(f"{key} must be a rate from 0 to 1 (it is {value!r})")
        rates[agency] = rate
    return rates


def limit_windows(value: str) -> list[RateLimitItem]:
    """The windows of a rate limit in `limits`' notation ("20 per hour; 100 per day"), or none
    for "off". Raises ValueError for anything else."""
    return [] if value.strip().lower() == "off" else parse_many(value)


def _limit(name: str, default: str) -> str:
    value = _env(name, default) or default
    try:
        limit_windows(value)
    except ValueError:
        raise ConfigError(
            f"{name} must be a limit such as '20 per hour' or '5/minute; 100/day', "
            f"or 'off' (it is {value!r})"
        ) from None
    return value


def load_config(instance_path: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the app settings from the environment, then apply explicit overrides."""
    overrides = overrides or {}
    environment = overrides.get("ENVIRONMENT") or _env("CONTACTPOINT_ENV", "development")
    production = environment == "production"
    data_dir = Path(instance_path)
    config: dict[str, Any] = {
        "ENVIRONMENT": environment,
        "SECRET_KEY": _env("SECRET_KEY"),
        # Seals personal identity numbers and answers at rest (`protection`); the same on
        # every host, kept apart from SECRET_KEY, which may change without making data unreadable.
        "PERSONAL_DATA_KEY": _env("PERSONAL_DATA_KEY"),
        # Former keys, comma-separated: what they sealed still opens until `contactpoint
        # reseal` has sealed it again under PERSONAL_DATA_KEY.
        "PERSONAL_DATA_OLD_KEYS": [
            key.strip() for key in (_env("PERSONAL_DATA_OLD_KEYS") or "").split(",") if key.strip()
        ],
        "SQLALCHEMY_DATABASE_URI": _env("DATABASE_URL"),
        "REDIS_URL": _env("REDIS_URL"),
        "SANDBOX_DATABASE_URL": _env("CONTACTPOINT_SANDBOX_URL"),
        # PostgreSQL: keep statements prepared on the server. Workers do (`worker.py`): they
        # run the same few statements and commit. Web requests end their reads in a rollback,
        # after which the driver drops every prepared statement and prepares anew.
        "PREPARED_STATEMENTS": False,
        # This process is a Celery worker (`worker.py`): on PostgreSQL its commits follow
        # WORKER_SYNCHRONOUS_COMMIT. What a worker writes, it can write again: a step lost
        # with a commit is sent again under the same idempotency key, and a person's later
        # commit makes every earlier one durable too (see README, *What survives a failure*).
        "WORKER": False,
        "WORKER_SYNCHRONOUS_COMMIT": _one_of(
            "CONTACTPOINT_WORKER_SYNCHRONOUS_COMMIT", SYNCHRONOUS_COMMIT, "off"
        ),
        # The simulated eID and agency tokens exist for development and tests only.
        "SIMULATED_EID": not production,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "WTF_CSRF_TIME_LIMIT": None,
        "TOKEN_MAX_AGE_S": 3600,
        # Personal identity numbers of the administrators who may read citizens' feedback.
        "ADMINS": [n.strip() for n in (_env("CONTACTPOINT_ADMINS") or "").split(",") if n.strip()],
        "AGENCY_LATENCY_MS": float(_env("CONTACTPOINT_AGENCY_LATENCY_MS", "300") or 0),
        "AGENCY_FAILURE_RATE": float(_env("CONTACTPOINT_AGENCY_FAILURE_RATE", "0") or 0),
        # CONTACTPOINT_AGENCY_<ID>_FAILURE_RATE=1 takes one simulated agency down (a drill).
        "AGENCY_FAILURE_RATES": _agency_failure_rates(),
        "AGENCY_TIMEOUT_RATE": float(_env("CONTACTPOINT_AGENCY_TIMEOUT_RATE", "0") or 0),
        "AGENCY_COMPLEMENT_RATE": float(_env("CONTACTPOINT_AGENCY_COMPLEMENT_RATE", "0") or 0),
        # Durability: how long one attempt at a step may run before recovery drives it again,
        # how long a sent step may wait for a worker, and how often recovery looks.
        "STEP_TIMEOUT_S": float(_env("CONTACTPOINT_STEP_TIMEOUT_S", "120") or 120),
        "DISPATCH_TIMEOUT_S": float(_env("CONTACTPOINT_DISPATCH_TIMEOUT_S", "600") or 600),
        "RECOVERY_INTERVAL_S": float(_env("CONTACTPOINT_RECOVERY_INTERVAL_S", "10") or 10),
        "RETRY_BASE_DELAY_S": float(_env("CONTACTPOINT_RETRY_BASE_DELAY_S", "1") or 1),
        # An agency still unreachable after the quick retries: its steps are tried again
        # every 5 to 10 minutes for about a day (`workflows.engine.RetryPolicy`); 0 fails them.
        "RETRY_OUTAGE_FOR_S": _seconds("CONTACTPOINT_RETRY_OUTAGE_FOR_S", 86400),
        "RETRY_OUTAGE_EVERY_S": _seconds("CONTACTPOINT_RETRY_OUTAGE_EVERY_S", 600, least=1),
        # After this many transient failures in a row, a worker process stops calling the
        # agency for BREAKER_RESET_S (`workflows.breakers`); 0 switches the breakers off.
        "BREAKER_FAILURES": _count("CONTACTPOINT_BREAKER_FAILURES", 5),
        "BREAKER_RESET_S": _seconds("CONTACTPOINT_BREAKER_RESET_S", 30),
        # Retention (`workflows.retention`): days a closed case, a draft never sent and the
        # audit trail are kept, and how often a pass removes what has expired.
        "CASE_RETENTION_DAYS": _days("CONTACTPOINT_CASE_RETENTION_DAYS", 365),
        "DRAFT_RETENTION_DAYS": _days("CONTACTPOINT_DRAFT_RETENTION_DAYS", 30),
        "AUDIT_RETENTION_DAYS": _days("CONTACTPOINT_AUDIT_RETENTION_DAYS", 1825),
        "RETENTION_INTERVAL_S": float(_env("CONTACTPOINT_RETENTION_INTERVAL_S", "3600") or 3600),
        # Rate limits (`rate_limits`): cases one person may send, wrong agency secrets one
        # client address may try; and how many proxies in front set X-Forwarded-For.
        "SUBMISSION_LIMIT": _limit("CONTACTPOINT_SUBMISSION_LIMIT", "20 per hour"),
        "TOKEN_FAILURE_LIMIT": _limit("CONTACTPOINT_TOKEN_FAILURE_LIMIT", "10 per minute"),
        "PROXY_HOPS": _count("CONTACTPOINT_PROXY_HOPS", 0),
        # How many case statuses (per language) each web process keeps rendered; 0: none.
        "STATUS_CACHE_SIZE": int(_env("CONTACTPOINT_STATUS_CACHE_SIZE", "5000") or 0),
        # Celery task events for Flower and `celery events`: off by default, as in Celery, since
        # each costs a broker message per task; Flower switches the workers' events on itself.
        "TASK_EVENTS": (_env("CONTACTPOINT_TASK_EVENTS") or "").lower() in ("1", "true", "yes"),
        # agency id -> HMAC secret of its callbacks: CONTACTPOINT_CALLBACK_SECRET_<AGENCY>.
        "CALLBACK_SECRETS": {
            key.removeprefix("CONTACTPOINT_CALLBACK_SECRET_").lower(): value
            for key, value in os.environ.items()
            if key.startswith("CONTACTPOINT_CALLBACK_SECRET_") and value
        },
        "CALLBACK_TOLERANCE_S": 300,
        # How the simulated base registers behave; CONTACTPOINT_REGISTER_<ID>_FAILURE_RATE=1
        # takes one register down (e.g. POPULATION).
        "REGISTER_LATENCY_MS": float(_env("CONTACTPOINT_REGISTER_LATENCY_MS", "100") or 0),
        "REGISTER_FAILURE_RATE": float(_env("CONTACTPOINT_REGISTER_FAILURE_RATE", "0") or 0),
        "REGISTER_FAILURE_RATES": {
            name: float(value) for name, value in _own_failure_rates("REGISTER").items()
        },
        # agency id -> adapter name; CONTACTPOINT_ADAPTER_<AGENCY>=http swaps one agency.
        "AGENCY_ADAPTER_OVERRIDES": {
            key.removeprefix("CONTACTPOINT_ADAPTER_").lower(): value
            for key, value in os.environ.items()
            if key.startswith("CONTACTPOINT_ADAPTER_") and not key.endswith("_URL")
        },
        "AGENCY_URLS": {
            key.removeprefix("CONTACTPOINT_ADAPTER_").removesuffix("_URL").lower(): value
            for key, value in os.environ.items()
            if key.startswith("CONTACTPOINT_ADAPTER_") and key.endswith("_URL")
        },
        # agency id -> client secret of its system (client credentials for the agency API).
        "AGENCY_CLIENT_SECRETS": {
            key.removeprefix("CONTACTPOINT_AGENCY_SECRET_").lower(): value
            for key, value in os.environ.items()
            if key.startswith("CONTACTPOINT_AGENCY_SECRET_") and value
        },
        "API_TITLE": "Kontaktpunkt API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "API_SPEC_OPTIONS": {"info": {"description": API_DESCRIPTION}},
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        "OPENAPI_SWAGGER_UI_URL": "/api/v1/docs/assets/",
    }
    if not production:
        config["SECRET_KEY"] = config["SECRET_KEY"] or "development-only-not-secret"
        config["PERSONAL_DATA_KEY"] = (
            config["PERSONAL_DATA_KEY"] or "development-only-personal-data-key-not-secret"
        )
        config["SQLALCHEMY_DATABASE_URI"] = config["SQLALCHEMY_DATABASE_URI"] or (
            f"sqlite:///{data_dir / 'contactpoint.db'}"
        )
        config["REDIS_URL"] = config["REDIS_URL"] or "redis://127.0.0.1:6379/0"
    config.update(overrides)
    if config.get("SQLALCHEMY_DATABASE_URI"):
        config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
            config["SQLALCHEMY_DATABASE_URI"]
        )
        _check_database_url(config["SQLALCHEMY_DATABASE_URI"])
    if config.get("REDIS_URL") and not str(config["REDIS_URL"]).startswith(REDIS_SCHEMES):
        raise ConfigError("REDIS_URL must be a redis://, rediss:// or unix:// URL")
    if not config["SANDBOX_DATABASE_URL"]:
        config["SANDBOX_DATABASE_URL"] = f"sqlite:///{data_dir / 'sandbox.db'}"
    if config["ENVIRONMENT"] == "production":
        missing = [
            name
            for name, key in (
                ("SECRET_KEY", "SECRET_KEY"),
                ("PERSONAL_DATA_KEY", "PERSONAL_DATA_KEY"),
                ("DATABASE_URL", "SQLALCHEMY_DATABASE_URI"),
                ("REDIS_URL", "REDIS_URL"),
            )
            if not config.get(key)
        ]
        if missing:
            raise ConfigError(f"production settings need {', '.join(missing)} in the environment")
        if len(str(config.get("PERSONAL_DATA_KEY"))) < MIN_KEY_LENGTH:
            raise ConfigError(f"PERSONAL_DATA_KEY needs at least {MIN_KEY_LENGTH} characters")
        if config.get("SIMULATED_EID"):
            raise ConfigError("the simulated eID cannot be enabled with production settings")
    config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        config["SQLALCHEMY_DATABASE_URI"],
        config["PREPARED_STATEMENTS"],
        config["WORKER_SYNCHRONOUS_COMMIT"] if config["WORKER"] else None,
    )
    return config


# What every operation of the API has in common, for the integrators who read its spec.
API_DESCRIPTION = (
    "Errors are JSON with `code`, `status` and `message`; a 422 names each field it refuses "
    "in `errors`. A 429 or a 503 carries `Retry-After` (and `retry_after_s` in the body): "
    "send the request again after that many seconds. A 503 means the service cannot reach "
    "its database for a moment (a restart, a failover); a case being submitted then may "
    "have been stored, so list the cases before submitting it again."
)


# PostgreSQL's settings for every connection of the app. No JIT compilation: it pays off for
# long analytical queries, and this is short transactions; a query whose estimate passes the
# threshold (the outbox sweep's, once there are some 100,000 open cases) spent 314 ms of its
# 455 compiling.
SESSION_SETTINGS = "-c jit=off"


def engine_options(
    url: str, prepared: bool = False, synchronous_commit: str | None = None
) -> dict[str, Any]:
    """Engine options suited to the database: SQLite waits for locks instead of failing,
    its writers in turn on a lock file (`sqlite_writers`);
    psycopg prepares a statement it has run five times, or never (`prepared`), and the
    connection has `SESSION_SETTINGS`, and `synchronous_commit` if given. (A pooled
    PostgreSQL connection is checked before use when it was idle: `ping_after_idle`.)"""
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30, "factory": sqlite_writers.Connection}}
    threshold = PREPARE_AFTER if prepared else None
    settings = SESSION_SETTINGS
    if synchronous_commit:
        settings += f" -c synchronous_commit={synchronous_commit}"
    return {"connect_args": {"prepare_threshold": threshold, "options": settings}}


REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


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

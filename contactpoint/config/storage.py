"""The database and Redis: their URLs, checked and made usable, and how this process uses
them (prepared statements, a worker's commits, the rendered statuses and pages it keeps)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa

from contactpoint.config.readers import ConfigError, env, one_of

# PostgreSQL's values of synchronous_commit, from not waiting for the disk to waiting for
# every synchronous standby to have applied the commit.
SYNCHRONOUS_COMMIT = ("off", "local", "on", "remote_write", "remote_apply")
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def database_and_redis() -> dict[str, Any]:
    """Where the data and the broker are, and how this process uses the database."""
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


def check_storage(config: dict[str, Any], data_dir: Path) -> None:
    """The database's and Redis's URLs usable (psycopg 3 for PostgreSQL), and the simulated
    agencies' database in the instance folder where none is named."""
    if config.get("SQLALCHEMY_DATABASE_URI"):
        config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
            config["SQLALCHEMY_DATABASE_URI"]
        )
        _check_database_url(config["SQLALCHEMY_DATABASE_URI"])
    if config.get("REDIS_URL") and not str(config["REDIS_URL"]).startswith(REDIS_SCHEMES):
        raise ConfigError("REDIS_URL must be a redis://, rediss:// or unix:// URL")
    if not config["SANDBOX_DATABASE_URL"]:
        config["SANDBOX_DATABASE_URL"] = f"sqlite:///{data_dir / 'sandbox.db'}"


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

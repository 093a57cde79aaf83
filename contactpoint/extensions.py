"""Extension instances, created here and bound to the app in the factory."""

import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import Babel
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base for Kontaktpunkt's models."""


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
api = Api()
babel = Babel()


def per_app(name: str, make: Callable[[], Any]) -> Any:
    """The current app's one `name` object, made by `make` the first time it is asked for."""
    made = current_app.extensions.get(name)
    if made is None:
        made = current_app.extensions[name] = make()
    return made


def own_engine(name: str, make: Callable[[], sa.Engine]) -> sa.Engine:
    """The current app's engine `name` beside Flask-SQLAlchemy's, made by `make` the first
    time it is asked for: its connections are pinged after idle, like the app engine's, and
    dropped with them by `dispose_engines`."""

    def made() -> sa.Engine:
        engine = make()
        ping_after_idle(engine)
        current_app.extensions.setdefault("contactpoint.engines", []).append(engine)
        return engine

    found: sa.Engine = per_app(name, made)
    return found


def dispose_engines(close: bool = True) -> None:
    """Drop the pooled connections of every engine of the current app. `close=False` after
    a fork: the connections are the parent's, and the child must not close them."""
    db.engine.dispose(close=close)
    for engine in current_app.extensions.get("contactpoint.engines", []):
        engine.dispose(close=close)


# A connection given back this recently is taken to be alive (like HikariCP's 500 ms bypass).
PING_AFTER_IDLE_S = 1.0


def ping_after_idle(engine: sa.Engine, idle_s: float = PING_AFTER_IDLE_S) -> None:
    """Check a pooled connection before use, unless it was in use a moment ago.

    Pre-pinging every checkout doubles the round trips of a one-statement read. A connection
    whose server went away fails the ping, and the pool replaces it with a new one.
    """

    def fresh(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    def check(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if time.monotonic() - record.info.get("idle_since", 0.0) < idle_s:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # gone: the pool opens a new connection and tries again
            raise sa.exc.DisconnectionError(str(error)) from error

    sa.event.listen(engine, "connect", fresh)
    sa.event.listen(engine, "checkin", fresh)
    sa.event.listen(engine, "checkout", check)


# How long a client is asked to wait when the database cannot answer: about as long as
# PostgreSQL takes to restart, or to fail over to a standby.
DATABASE_RETRY_AFTER_S = 30


def database_unavailable(error: BaseException) -> bool:
    """Whether a database error says it cannot answer now (down, restarting, failing over,
    its connections all in use, or locked for longer than a statement waits), not that the
    request or the code is at fault."""
    if isinstance(error, sa.exc.OperationalError | sa.exc.TimeoutError):
        return True
    return isinstance(error, sa.exc.DBAPIError) and error.connection_invalidated


def forget_connections_after(error: BaseException) -> None:
    """After the database could not answer, drop the pooled connections of every engine of the
    app: a restart or a failover ends them all, in every pool, and the first sign of it in
    one pool is the time to replace them, before a later request meets one. Not when every
    connection was merely in use (TimeoutError): those are alive."""
    if database_unavailable(error) and not isinstance(error, sa.exc.TimeoutError):
        dispose_engines()


def database_error_line(error: BaseException) -> str:
    """The driver's first line about a database error, for a log: never the statement or its
    parameters, which may hold personal data."""
    cause = getattr(error, "orig", None) or error
    return (str(cause).strip().splitlines() or [type(cause).__name__])[0]

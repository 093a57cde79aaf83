"""Errors as a person or a client meets them: JSON under /api, a page elsewhere; a 503 with
Retry-After when the database is out of reach; never a stack trace."""

from __future__ import annotations

import logging
from contextlib import suppress
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, ServiceUnavailable, TooManyRequests

from contactpoint.extensions import (
    DATABASE_RETRY_AFTER_S,
    api,
    database_error_line,
    database_unavailable,
    db,
    forget_connections_after,
)
from contactpoint.platform.rate_limits import RateLimited

log = logging.getLogger(__name__)


def register_errorhandlers(app: Flask) -> None:
    """JSON errors under /api, pages elsewhere; never a stack trace."""

    def handle_http(error: HTTPException) -> Any:
        if request.path.startswith("/api/"):
            return _api_error(error)
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


# What a 4xx without words of its own says; each 4xx body carries a `message`.
API_MESSAGES = {
    400: "The request could not be read: send a JSON body as the API documentation shows.",
    401: "Log in: send 'Authorization: Bearer <token>'.",
    403: "You may not do this.",
    404: "There is nothing here.",
    405: "This address does not take this method.",
    413: "The request is larger than this API takes: at most {kb} KB in one request (a case is "
    "a few kilobytes).",
    422: "Some of what was sent is not valid: 'errors' names each field and what is wrong.",
}


def _api_error(error: HTTPException) -> Any:
    """flask-smorest's JSON error, with the `message` the documentation promises on every
    4xx, and on a 422 the `errors` by field."""
    payload, code, headers = api.handle_http_exception(error)
    # What the error itself says in headers (a 405's `Allow`), under flask-smorest's own.
    own = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    headers = {**own, **(headers or {})}
    if code is not None and 400 <= code < 500:
        limit_kb = (current_app.config["MAX_CONTENT_LENGTH"] or 0) // 1024
        said = API_MESSAGES.get(code, "").format(kb=limit_kb)
        payload.setdefault("message", said or error.description)
        if code == 422:
            payload.setdefault("errors", {"json": {"_schema": [payload["message"]]}})
    return payload, code, headers


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
    "mina_arenden_key_failures": "Too many wrong API keys from this address ({per}). Try again "
    "in {wait}.",
    "verification_emails": "This person has had as many verification links as one may ({per})."
    " Nothing was changed: try again in {wait}.",
}


def _wait(seconds: int) -> str:
    return f"{seconds} seconds" if seconds < 120 else f"about {round(seconds / 60)} minutes"


def message_only(error: HTTPException | RateLimited) -> Any:
    """An API error as its message alone, `{"message": ...}`, with its status and headers: for
    an address whose standard's errors hold nothing else (the Mina ärenden query)."""
    if isinstance(error, RateLimited):
        seconds = error.retry_after_s
        message = RATE_LIMIT_MESSAGES[error.kind].format(per=error.item, wait=_wait(seconds))
        return jsonify(message=message), 429, {"Retry-After": str(seconds)}
    payload, code, headers = _api_error(error)
    return jsonify(message=payload.get("message") or error.description), code, headers


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

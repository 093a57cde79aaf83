"""The sessions that are live, kept in Redis so that ending one ends it for every copy of its
cookie (OWASP ASVS 5.0 V7.4): the cookie carries a random id, Redis holds that id for as long
as the session may stay idle, each request renews it, and sign-out or a timeout deletes it.

Redis out of reach only means the signed cookie's own limits decide: a page must not become
less available than Redis already is (like the rate limits)."""

from __future__ import annotations

import logging
import secrets

import redis
from flask import current_app

from contactpoint.extensions import per_app

log = logging.getLogger(__name__)

PREFIX = "contactpoint:session:"
# A session that ended (signed out, timed out, replaced), remembered while its cookie could
# still be sent: a copy of it may not then save answers as if it had only timed out.
ENDED = "contactpoint:session-ended:"


class LiveSessions:
    """The ids of the live sessions, each expiring after its idle limit."""

    def __init__(self, url: str) -> None:
        self._client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)

    def start(self, idle_s: int) -> str:
        """A new session's id, live for `idle_s` seconds from now."""
        session_id = secrets.token_urlsafe(32)
        try:
            self._client.set(PREFIX + session_id, 1, ex=idle_s)
        except redis.RedisError:
            log.warning("session not recorded as live: Redis cannot be reached")
        return session_id

    def alive(self, session_id: str, idle_s: int | None) -> bool:
        """Whether the session is still live; with `idle_s`, live that long again from now."""
        try:
            if idle_s is None:
                return bool(self._client.exists(PREFIX + session_id))
            return bool(self._client.expire(PREFIX + session_id, idle_s))
        except redis.RedisError:
            log.warning("session not checked as live: Redis cannot be reached")
            return True

    def end(self, session_id: str, remembered_s: int) -> None:
        """The session ends, for every copy of its cookie, and is remembered as ended for
        `remembered_s` seconds."""
        try:
            with self._client.pipeline() as pipe:
                pipe.delete(PREFIX + session_id)
                pipe.set(ENDED + session_id, 1, ex=remembered_s)
                pipe.execute()
        except redis.RedisError:
            log.warning("session not ended in Redis: Redis cannot be reached")

    def ended(self, session_id: str) -> bool:
        """Whether the session was ended (by sign-out or otherwise); True when Redis cannot
        say, so that nothing is saved on a session's behalf that may have been ended."""
        try:
            return bool(self._client.exists(ENDED + session_id))
        except redis.RedisError:
            log.warning("session not checked as ended: Redis cannot be reached")
            return True


def current() -> LiveSessions:
    """The current app's live sessions (one Redis connection pool per process)."""
    found: LiveSessions = per_app(
        "live_sessions", lambda: LiveSessions(current_app.config["REDIS_URL"])
    )
    return found

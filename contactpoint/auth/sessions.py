"""Sessions of the pages (OWASP ASVS 5.0 V7): a new session at sign-in, an idle timeout with a
warning before it, an absolute limit, and nothing kept after either; each session live in
Redis (`live`), so that ending it ends every copy of its cookie. Time is read from
`agencies.clock`, so that tests move it instead of sleeping."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import current_app, g, request, session

from agencies import clock
from contactpoint.auth import live
from contactpoint.auth.officers import Officer

# Requests that only ask how long is left, and the files a browser fetches by itself (the
# stylesheet, scripts, the icon), do not count as activity: a page left open must time out.
QUIET_ENDPOINTS = ("signin.status", "static")
QUIET_BLUEPRINTS = ("frontend",)

# Views (by endpoint) that ask whether their session has ended in the statement that reads
# what they show (`asks_if_ended`), and call `has_ended()` when it has.
ASKS_IF_ENDED: set[str] = set()

# What a page posted after its session timed out keeps, by endpoint: called with the id of the
# person the session belonged to and the page's view arguments, it saves what passes its checks
# and answers where to continue after signing in again (None: nothing kept).
Keeper = Callable[..., str | None]
View = TypeVar("View", bound=Callable[..., Any])
KEEPERS: dict[str, Keeper] = {}


@dataclass(frozen=True)
class Remaining:
    """How long the current session has left, and when the page should warn."""

    seconds: int
    warn_at: int

    @property
    def warning(self) -> bool:
        """Time to say "You'll be signed out soon"."""
        return self.seconds <= self.warn_at


def _now() -> float:
    return clock.now().timestamp()


def _lifetime_s() -> int:
    """The longest a session lives: its absolute limit."""
    return int(current_app.config["SESSION_MAX_HOURS"] * 3600)


def fresh_session(**values: Any) -> None:
    """Start a new session holding `values`; only the chosen language carries over.

    The session lives in a signed cookie: clearing it and writing anew gives a new cookie, so
    no value from before sign-in (a fixed session) carries into the signed-in one.
    """
    language = session.get("lang")
    if isinstance(session.get("sid"), str):
        live.end(session["sid"], _lifetime_s())  # for every copy of the cookie too
    session.clear()
    session.update(values)
    if language:
        session["lang"] = language


def session_values(**who: Any) -> dict[str, Any]:
    """What a signed-in session holds: who, since when, the id it is live under, and its own
    secret for the forms' CSRF tokens (none from before sign-in carries over)."""
    now = _now()
    session_id = live.new_session_id()
    csrf_secret = {current_app.config["WTF_CSRF_FIELD_NAME"]: secrets.token_hex(20)}
    return {**who, "signed_in_at": now, "seen_at": now, "sid": session_id, **csrf_secret}


def start_citizen_session(person_id: str) -> None:
    """Sign a citizen in to the pages: a new session."""
    fresh_session(**session_values(person_id=person_id))


def start_officer_session(officer: Officer) -> None:
    """Sign a case officer in: a new session holding who, for which agency, in which role."""
    held = {"id": officer.id, "agency": officer.agency, "name": officer.name}
    fresh_session(**session_values(officer={**held, "role": officer.role}))


def signed_in() -> bool:
    """A citizen's or an officer's session is open."""
    return "person_id" in session or "officer" in session


def idle_limit_s() -> int:
    """Seconds without a request after which this session ends."""
    return _idle_limit_s(officer="officer" in session)


def _idle_limit_s(officer: bool) -> int:
    setting = "OFFICER_SESSION_IDLE_MINUTES" if officer else "SESSION_IDLE_MINUTES"
    return int(current_app.config[setting]) * 60


def remaining() -> Remaining | None:
    """How long this session has left (the sooner of idle and absolute limits), if signed in."""
    if not signed_in():
        return None
    now = _now()
    idle_end = float(session.get("seen_at", 0)) + idle_limit_s()
    absolute_end = (
        float(session.get("signed_in_at", 0)) + current_app.config["SESSION_MAX_HOURS"] * 3600
    )
    warn_at = int(current_app.config["SESSION_WARNING_MINUTES"]) * 60
    return Remaining(max(0, int(min(idle_end, absolute_end) - now)), warn_at)


def check_session() -> None:
    """Before each request: end a session past its idle or absolute limit (g.timed_out then
    holds whose it was); refuse one that is no longer live (signed out, maybe from another
    copy of the cookie); else count the request as activity."""
    left = remaining()
    if left is None:
        return
    if left.seconds <= 0:
        # Answers may be saved on the person's behalf only for a session that timed out within
        # its lifetime and that nothing ended before: not for a signed-out copy of the cookie.
        session_id = session.get("sid")
        recent = _now() - float(session.get("signed_in_at", 0)) <= _lifetime_s()
        kept = isinstance(session_id, str) and recent and not live.ended(session_id)
        person_id = session.get("person_id") if kept else None
        g.timed_out = {"person_id": person_id, "officer": "officer" in session}
        fresh_session()
        return
    session_id = session.get("sid")
    if not isinstance(session_id, str):
        fresh_session()
        return
    if request.endpoint not in ASKS_IF_ENDED and live.ended(session_id):
        fresh_session()  # as if never signed in: the way to sign in again is the usual one
        return
    if request.endpoint not in QUIET_ENDPOINTS and request.blueprint not in QUIET_BLUEPRINTS:
        session["seen_at"] = _now()


def asks_if_ended(endpoint: str) -> Callable[[View], View]:
    """Register the view at `endpoint` as one that asks itself whether its session has ended,
    in the statement that reads what it shows: one round trip fewer. It must read nothing
    else and change nothing before it knows."""

    def register(view: View) -> View:
        ASKS_IF_ENDED.add(endpoint)
        return view

    return register


def has_ended() -> None:
    """For a view of `ASKS_IF_ENDED` that found its session ended: as if never signed in."""
    fresh_session()


def keeps_on_timeout(endpoint: str) -> Callable[[Keeper], Keeper]:
    """Register what a POST to `endpoint` keeps when it arrives after its session timed out."""

    def register(keeper: Keeper) -> Keeper:
        if endpoint in KEEPERS:
            raise ValueError(f"{endpoint} already has a keeper for timed-out sessions")
        KEEPERS[endpoint] = keeper
        return keeper

    return register


def keep_after_timeout(timed_out: dict[str, Any]) -> str | None:
    """A page posted by a citizen whose session had just timed out: let its keeper save what
    was typed for that person; where to continue after signing in, if anything was kept."""
    keeper = KEEPERS.get(request.endpoint or "")
    person_id = timed_out.get("person_id")
    if request.method != "POST" or keeper is None or not person_id:
        return None
    return keeper(str(person_id), **(request.view_args or {}))


def safe_next(target: str | None, prefix: str, default: str) -> str:
    """Where to go after a login: only ever a path under `prefix` on this site."""
    if target and target.startswith(prefix) and not target.startswith("//") and "\\" not in target:
        return target
    return default

"""Whether a session of the pages is still live (OWASP ASVS 5.0 V7.4): the cookie carries a
random id, and ending a session (signing out, a timeout, a new sign-in) records that id in
the database, so that every copy of its cookie is ended too. The cookie's own signed limits
end an idle or too old session; the record is kept for as long as a copy could still be sent.

Every signed-in request asks whether its session has ended: in a statement of its own, or in
the statement that reads what the page shows (My pages), never in another round trip."""

from __future__ import annotations

import datetime as dt
import secrets

from agencies import clock
from contactpoint.db.statements.connections import outside_transactions, run_alone
from contactpoint.db.statements.sessions import FORGET_ENDED, SESSION_ENDED, end_session
from contactpoint.extensions import db


def new_session_id() -> str:
    """A new session's id: live until it is ended."""
    return secrets.token_urlsafe(32)


def end(session_id: str, remembered_s: int) -> None:
    """The session ends, for every copy of its cookie; it is remembered as ended for
    `remembered_s` seconds, and those ended longer ago are forgotten."""
    moment = clock.now()
    with outside_transactions() as connection:
        ending = {"id": session_id, "ended_at": moment}
        connection.execute(end_session(db.engine.dialect.name), ending)
        connection.execute(FORGET_ENDED, {"before": moment - dt.timedelta(seconds=remembered_s)})


def ended(session_id: str) -> bool:
    """Whether the session was ended (signed out, timed out or replaced)."""
    return bool(run_alone(SESSION_ENDED, session_id=session_id)[0].ended)

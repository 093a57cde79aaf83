"""Sign-in: who is calling (`identity`), the OpenID Connect client (`oidc`), bearer access
tokens checked against the providers' keys (`tokens`), and sessions with their timeouts
(`sessions`)."""

from contactpoint.auth.identity import (
    api_agency,
    api_citizen,
    citizen_id_required,
    known_person,
    login_required,
    officer_required,
    session_citizen,
    session_officer,
    sign_in_first,
    token_person_id,
)
from contactpoint.auth.officers import ROLES, Officer, Role
from contactpoint.auth.sessions import (
    fresh_session,
    keeps_on_timeout,
    safe_next,
    start_citizen_session,
    start_officer_session,
)

__all__ = [
    "ROLES",
    "Officer",
    "Role",
    "api_agency",
    "api_citizen",
    "citizen_id_required",
    "fresh_session",
    "keeps_on_timeout",
    "known_person",
    "login_required",
    "officer_required",
    "safe_next",
    "session_citizen",
    "session_officer",
    "sign_in_first",
    "start_citizen_session",
    "start_officer_session",
    "token_person_id",
]

"""Reading who a person is from a provider's claims: the personal identity number of the
Swedish OIDC profile, and an officer's agency and role."""

from __future__ import annotations

import re
from typing import Any

from flask import current_app
from stdnum.se import personnummer

from agencies.catalogue import AGENCIES
from contactpoint.auth.officers import ROLES, Officer


def personal_number(value: object) -> str | None:
    """A personal identity number as the registers write it (YYYYMMDD-NNNN), from the 12
    digits of the claim (or the same with a hyphen); None for anything else."""
    if not isinstance(value, str):
        return None
    digits = re.sub(r"[\s-]", "", value)
    if len(digits) != 12 or not digits.isdigit() or not personnummer.is_valid(digits):
        return None
    return f"{digits[:8]}-{digits[8:]}"


def claimed_personal_number(claims: dict[str, Any]) -> str | None:
    """The personal identity number in the configured claim, if it holds a valid one."""
    return personal_number(claims.get(current_app.config["OIDC_PERSONAL_NUMBER_CLAIM"]))


def claimed_officer(claims: dict[str, Any]) -> Officer | None:
    """The officer the claims describe: a subject, a known agency and a known role; else None."""
    config = current_app.config
    agency, role = claims.get(config["OIDC_AGENCY_CLAIM"]), claims.get(config["OIDC_ROLE_CLAIM"])
    if isinstance(role, list):  # providers often send roles as a list: the highest one counts
        role = next((r for r in reversed(ROLES) if r in role), None)
    subject = claims.get("sub")
    if not isinstance(subject, str) or agency not in AGENCIES or role not in ROLES:
        return None
    name = claims.get(config["OIDC_NAME_CLAIM"]) or subject
    return Officer(id=subject, agency=str(agency), name=str(name), role=role)

"""What a simulated agency issues when it registers a submission (an organisation number),
made up from the submission's key: valid, and the same for the same submission.

An agency's catalogue entry says what it issues (`Agency.issues`); this module says how the
sandbox makes each kind up, so the simulated adapter itself knows no agency.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from stdnum import luhn


def organisation_number(idempotency_key: str) -> str:
    """A valid Swedish organisation number (Luhn check digit), derived from the key."""
    seed = int(hashlib.sha256(idempotency_key.encode()).hexdigest(), 16)
    body = f"55{seed % 10**7:07d}"
    return f"{body[:6]}-{body[6:]}{luhn.calc_check_digit(body)}"


# How each kind of issued value is made up, by its name in the agency's answer.
MAKERS: dict[str, Callable[[str], str]] = {"organisation_number": organisation_number}


def issued(names: Iterable[str], idempotency_key: str) -> dict[str, str]:
    """The made-up values of `names` for one submission."""
    return {name: MAKERS[name](idempotency_key) for name in names}

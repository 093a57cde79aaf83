"""Who works at each agency: the simulated staff directory used by the development login.

In production an agency's own identity provider says who the officer is, for which agency and
in which role; the session holds the same three facts either way.
"""

from __future__ import annotations

from agencies.catalogue import AGENCIES
from contactpoint.auth.officers import Officer

_NAMES = (
    ("Lena Holm", "Omar Said", "Birgitta Sjöberg"),
    ("Jonas Ek", "Fatima Ali", "Per-Olof Lund"),
)


# The agencies in the order their staff were named: these first, then the others by id, then
# those added since, so an officer's name stays theirs when an agency is added.
_NAMED_FIRST = (
    "bolagsverket",
    "csn",
    "forsakringskassan",
    "kommun",
    "pensionsmyndigheten",
    "skatteverket",
    "transportstyrelsen",
)
# Agencies added after the municipalities were named: after them, in the order added.
_NAMED_LAST = ("akassa",)


def _directory() -> dict[str, Officer]:
    officers: dict[str, Officer] = {}
    named = (*_NAMED_FIRST, *_NAMED_LAST)
    later = sorted(agency for agency in AGENCIES if agency not in named)
    for number, agency in enumerate((*_NAMED_FIRST, *later, *_NAMED_LAST)):
        first, second, supervisor = _NAMES[number % len(_NAMES)]
        for suffix, name, role in (
            ("1", first, "officer"),
            ("2", second, "officer"),
            ("s", supervisor, "supervisor"),
        ):
            officer = Officer(f"{agency}-{suffix}", agency, name, role)  # type: ignore[arg-type]
            officers[officer.id] = officer
    return officers


STAFF: dict[str, Officer] = _directory()


def officer(officer_id: str | None) -> Officer | None:
    """The officer with this id, if any."""
    return STAFF.get(officer_id or "")


def staff_of(agency: str) -> list[Officer]:
    """The officers of one agency, supervisors last."""
    return sorted(
        (o for o in STAFF.values() if o.agency == agency), key=lambda o: (o.is_supervisor, o.name)
    )


def agencies() -> list[str]:
    """The agencies that have staff here."""
    return sorted({o.agency for o in STAFF.values()})

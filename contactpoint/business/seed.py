"""The test population's power of attorney: Lena Ekström gave Amira Haddad one for
Ekström & Lund Bygg AB's life events, and Per Lund, who signs with her, confirmed it."""

from __future__ import annotations

import datetime as dt

from contactpoint.db.models import PowerOfAttorneyRow
from contactpoint.extensions import db

SEEDED_POWER = {
    "id": "testpopulationpowerofattorney001",
    "organisation_number": "556612-3450",
    "holder": "19950530-3462",
    "granted_by": "19780923-1249",
    "confirmed_by": "19810214-2356",
    "life_events": ["close-business", "hire-first-employee"],
    "valid_from": dt.date(2026, 1, 1),
    "valid_until": dt.date(2028, 12, 31),
    "created_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
}


def seed_powers() -> int:
    """Add the test population's power of attorney if it is not there; return how many."""
    if db.session.get(PowerOfAttorneyRow, SEEDED_POWER["id"]) is not None:
        return 0
    db.session.add(PowerOfAttorneyRow(**SEEDED_POWER))
    return 1

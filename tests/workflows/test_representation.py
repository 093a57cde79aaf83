"""Who may act for a company: the register's signatories, alone or jointly, and the powers
of attorney they give, for named life events and a period, until revoked."""

from __future__ import annotations

import datetime as dt

from workflows.representation import (
    PowerOfAttorney,
    co_signatory_for,
    may_grant,
    representations,
    standing_for,
)

JOHAN, LENA, PER, AMIRA, ANNA = (
    "19700101-6356",
    "19780923-1249",
    "19810214-2356",
    "19950530-3462",
    "19850312-2387",
)
NILSSONS, EKSTROM_LUND = "700101-6356", "556612-3450"
TODAY = dt.date(2027, 1, 15)


def power(**changes: object) -> PowerOfAttorney:
    given: dict[str, object] = {
        "id": "p1",
        "organisation_number": EKSTROM_LUND,
        "holder": AMIRA,
        "granted_by": LENA,
        "life_events": ("close-business",),
        "valid_from": dt.date(2027, 1, 1),
        "valid_until": dt.date(2027, 1, 31),
        "confirmed_by": PER,
    }
    return PowerOfAttorney(**{**given, **changes})  # type: ignore[arg-type]


def test_signatories_act_alone_or_jointly_as_the_register_says() -> None:
    (johan,) = representations(JOHAN, [], TODAY)
    assert (johan.organisation_number, johan.basis, johan.co_signatories) == (
        NILSSONS,
        "signatory",
        (),
    )
    (lena,) = representations(LENA, [], TODAY)
    assert (lena.basis, lena.co_signatories) == ("joint_signatory", (PER,))
    assert co_signatory_for(LENA, EKSTROM_LUND) == PER
    assert co_signatory_for(JOHAN, NILSSONS) is None
    assert co_signatory_for(AMIRA, EKSTROM_LUND) is None  # acts by a power given jointly
    assert representations(ANNA, [], TODAY) == []
    assert may_grant(LENA, EKSTROM_LUND) and not may_grant(AMIRA, EKSTROM_LUND)


def test_a_power_of_attorney_covers_its_life_events_and_its_period_until_revoked() -> None:
    held = [power()]
    assert standing_for(AMIRA, EKSTROM_LUND, "close-business", held, TODAY) is not None
    assert standing_for(AMIRA, EKSTROM_LUND, "hire-first-employee", held, TODAY) is None
    assert standing_for(AMIRA, EKSTROM_LUND, "close-business", held, dt.date(2027, 2, 1)) is None
    revoked = [power(revoked_at=dt.datetime(2027, 1, 10, tzinfo=dt.UTC))]
    assert standing_for(AMIRA, EKSTROM_LUND, "close-business", revoked, TODAY) is None
    unconfirmed = [power(confirmed_by=None)]
    assert unconfirmed[0].state(TODAY) == "awaiting_confirmation"
    assert standing_for(AMIRA, EKSTROM_LUND, None, unconfirmed, TODAY) is None
    assert power().state(dt.date(2027, 2, 1)) == "lapsed"

"""Who may act for a company, read from the company register and the powers of attorney.

A signatory (firmatecknare) of a company signed for `alone` acts by themselves; where the
register says `jointly`, one signatory acts and another must confirm before anything is sent.
A signatory may give a power of attorney for named life events and a period; for a company
signed jointly it holds once a second signatory has confirmed it. A lapsed or revoked power
of attorney stops what comes after it, never what was already done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from agencies.registers.data import COMPANIES, SIGNING_ROLES, Company, company

# What a person's right to act for a company rests on, in plain words.
BASES: dict[str, dict[str, str]] = {
    "signatory": {"sv": "firmatecknare", "en": "signatory"},
    "joint_signatory": {
        "sv": "firmatecknare tillsammans med en annan",
        "en": "signatory jointly with another",
    },
    "power_of_attorney": {"sv": "fullmakt", "en": "power of attorney"},
}


@dataclass(frozen=True)
class PowerOfAttorney:
    """A signatory's power of attorney for `holder` to act for a company: for the named life
    events, from `valid_from` to `valid_until` (both days included), until revoked."""

    id: str
    organisation_number: str
    holder: str
    granted_by: str
    life_events: tuple[str, ...]
    valid_from: dt.date
    valid_until: dt.date
    confirmed_by: str | None = None
    revoked_at: dt.datetime | None = None

    def in_force(self, today: dt.date) -> bool:
        """Given (confirmed where the company signs jointly), not revoked, and in its period."""
        found = company(self.organisation_number)
        confirmed = found is None or found.signing != "jointly" or self.confirmed_by is not None
        return (
            confirmed and self.revoked_at is None and self.valid_from <= today <= self.valid_until
        )

    def state(self, today: dt.date) -> str:
        """`in_force`, `awaiting_confirmation`, `revoked`, `lapsed` or `not_yet`."""
        if self.revoked_at is not None:
            return "revoked"
        if today > self.valid_until:
            return "lapsed"
        if today < self.valid_from:
            return "not_yet"
        return "in_force" if self.in_force(today) else "awaiting_confirmation"


@dataclass(frozen=True)
class Standing:
    """What a person may do for one company, and why: `life_events` None means every one;
    `co_signatories` must confirm what they send (joint signing)."""

    organisation_number: str
    name: str
    basis: str
    life_events: tuple[str, ...] | None = None
    valid_until: dt.date | None = None
    co_signatories: tuple[str, ...] = ()

    def covers(self, life_event: str) -> bool:
        """Whether the standing reaches this life event."""
        return self.life_events is None or life_event in self.life_events

    def as_dict(self) -> dict[str, Any]:
        """As the API shows it."""
        return {
            "organisation_number": self.organisation_number,
            "name": self.name,
            "basis": self.basis,
            "life_events": list(self.life_events) if self.life_events is not None else None,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "needs_confirmation": bool(self.co_signatories),
        }


def signatories(organisation_number: str) -> tuple[str, ...]:
    """The personal identity numbers the register lists as signing for the company."""
    found = company(organisation_number)
    if found is None:
        return ()
    return tuple(person for person, role in found.roles.items() if role in SIGNING_ROLES)


def co_signatories(organisation_number: str, personal_number: str) -> tuple[str, ...]:
    """Who else may confirm what this signatory sends, where the company signs jointly."""
    found = company(organisation_number)
    if found is None or found.signing != "jointly":
        return ()
    return tuple(p for p in signatories(organisation_number) if p != personal_number)


def company_name(organisation_number: str) -> str | None:
    """The company's name in the register."""
    found = company(organisation_number)
    return found.name if found else None


def may_grant(personal_number: str, organisation_number: str) -> bool:
    """Only a signatory gives (and revokes) a power of attorney for the company."""
    return personal_number in signatories(organisation_number)


def _as_signatory(found: Company, personal_number: str) -> Standing:
    jointly = found.signing == "jointly"
    return Standing(
        organisation_number=found.organisation_number,
        name=found.name,
        basis="joint_signatory" if jointly else "signatory",
        co_signatories=co_signatories(found.organisation_number, personal_number),
    )


def representations(
    personal_number: str, powers: Iterable[PowerOfAttorney], today: dt.date
) -> list[Standing]:
    """Every company the person may act for now: as a signatory first, then by the powers
    of attorney in force that they hold (one entry per company)."""
    found: dict[str, Standing] = {}
    for registered in COMPANIES:
        if personal_number in signatories(registered.organisation_number):
            found[registered.organisation_number] = _as_signatory(registered, personal_number)
    for power in powers:
        number = power.organisation_number
        if power.holder != personal_number or not power.in_force(today) or number in found:
            continue
        found[number] = Standing(
            organisation_number=number,
            name=company_name(number) or number,
            basis="power_of_attorney",
            life_events=power.life_events,
            valid_until=power.valid_until,
        )
    return list(found.values())


def standing_for(
    personal_number: str,
    organisation_number: str,
    life_event: str | None,
    powers: Iterable[PowerOfAttorney],
    today: dt.date,
) -> Standing | None:
    """The person's standing for the company (for the life event, if named), or None."""
    powers = list(powers)
    for standing in representations(personal_number, powers, today):
        if standing.organisation_number != organisation_number:
            continue
        if life_event is None or standing.covers(life_event):
            return standing
    # Held by several powers of attorney: another one may cover the life event.
    for power in powers:
        if (
            power.holder == personal_number
            and power.organisation_number == organisation_number
            and power.in_force(today)
            and (life_event is None or life_event in power.life_events)
        ):
            return Standing(
                organisation_number,
                company_name(organisation_number) or organisation_number,
                "power_of_attorney",
                power.life_events,
                power.valid_until,
            )
    return None


def acting_for_company(
    organisation_number: str | None, basis: str | None, acted_by: str | None
) -> dict[str, str] | None:
    """What an agency receives of who acted for a company, and on what basis; None when the
    case is not a company's."""
    if not organisation_number or not basis or not acted_by:
        return None
    return {"organisation_number": organisation_number, "acted_by": acted_by, "basis": basis}


def co_signatory_for(actor: str, organisation_number: str | None) -> str | None:
    """The signatory who must confirm what `actor` sends for a company signed jointly; None
    where the company signs alone, or where the actor acts by a power of attorney (given and
    confirmed by the signatories together)."""
    if not organisation_number or actor not in signatories(organisation_number):
        return None
    others = co_signatories(organisation_number, actor)
    return others[0] if others else None

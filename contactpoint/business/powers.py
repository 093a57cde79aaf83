"""Powers of attorney: a signatory gives one for named life events and a period, a second
signatory confirms it where the company signs jointly, and a signatory revokes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from flask_babel import gettext as _

from agencies.clock import today
from agencies.population import resident
from contactpoint.business.log import record
from contactpoint.business.standing import business_events
from contactpoint.db.models import Person, PowerOfAttorneyRow, now
from contactpoint.extensions import db
from workflows.representation import co_signatories, company_name, may_grant

# The longest a power of attorney given here may run.
LONGEST = dt.timedelta(days=3 * 366)


class Refused(Exception):
    """The person may not do this for the company; `field` names what is wrong."""

    def __init__(self, field: str, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.status = status


def not_signatory() -> str:
    """The refusal for anyone but a signatory."""
    return _(
        "Only those who sign for the company can do this: give, confirm or revoke a power of "
        "attorney."
    )


def _signatory(person: Person, organisation_number: str) -> None:
    if company_name(organisation_number) is None:
        raise Refused(
            "organisation_number",
            _("No such company."),
            404,
        )
    if not may_grant(person.personal_number, organisation_number):
        raise Refused("organisation_number", not_signatory(), 403)


def grant(
    person: Person,
    organisation_number: str,
    holder: str,
    life_events: Iterable[str],
    valid_from: dt.date | None,
    valid_until: dt.date,
) -> PowerOfAttorneyRow:
    """A signatory gives `holder` a power of attorney; committed, and in the company's log."""
    _signatory(person, organisation_number)
    events = sorted(set(life_events))
    start = valid_from or today()
    if resident(holder) is None:
        raise Refused(
            "holder",
            _("The population register has no one with that personal identity number."),
        )
    if holder == person.personal_number:
        raise Refused(
            "holder",
            _("You cannot give a power of attorney to yourself."),
        )
    unknown = [event for event in events if event not in business_events()]
    if not events or unknown:
        raise Refused(
            "life_events",
            _("Choose at least one thing the power of attorney is for."),
        )
    if valid_until < start or valid_until < today() or valid_until - start > LONGEST:
        raise Refused(
            "valid_until",
            _("The last day must be today or later. It may be at most three years ahead."),
        )
    jointly = bool(co_signatories(organisation_number, person.personal_number))
    row = PowerOfAttorneyRow(
        organisation_number=organisation_number,
        holder=holder,
        granted_by=person.personal_number,
        life_events=events,
        valid_from=start,
        valid_until=valid_until,
        created_at=now(),
    )
    db.session.add(row)
    db.session.flush()
    basis = "joint_signatory" if jointly else "signatory"
    record(organisation_number, person, basis, "power_granted", power=row.id, life_events=events)
    db.session.commit()
    return row


def _power(organisation_number: str, power_id: str) -> PowerOfAttorneyRow:
    row = db.session.get(PowerOfAttorneyRow, power_id)
    if row is None or row.organisation_number != organisation_number:
        raise Refused("power_id", _("No such power of attorney."), 404)
    return row


def confirm(person: Person, organisation_number: str, power_id: str) -> PowerOfAttorneyRow:
    """A second signatory confirms a power of attorney given for a company signed jointly."""
    _signatory(person, organisation_number)
    row = _power(organisation_number, power_id)
    if row.granted_by == person.personal_number:
        raise Refused(
            "power_id",
            _("Another of those who sign for the company must confirm it."),
            403,
        )
    if row.confirmed_by is None and row.revoked_at is None:
        row.confirmed_by = person.personal_number
        record(organisation_number, person, "joint_signatory", "power_confirmed", power=row.id)
        db.session.commit()
    return row


def revoke(person: Person, organisation_number: str, power_id: str) -> PowerOfAttorneyRow:
    """A signatory revokes a power of attorney: what it was used for stays done."""
    _signatory(person, organisation_number)
    row = _power(organisation_number, power_id)
    if row.revoked_at is None:
        row.revoked_at, row.revoked_by = now(), person.personal_number
        jointly = co_signatories(organisation_number, person.personal_number)
        basis = "joint_signatory" if jointly else "signatory"
        record(organisation_number, person, basis, "power_revoked", power=row.id)
        db.session.commit()
    return row

"""Sweden's calendar, which the agencies keep and so the service too: a date is the date in
Sweden, whatever zone the host's clock is set to (servers usually run on UTC, an hour or two
behind). Between midnight in Sweden and midnight in UTC the two dates differ."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

SWEDEN = ZoneInfo("Europe/Stockholm")


def now() -> dt.datetime:
    """This moment, aware of its zone (UTC)."""
    return dt.datetime.now(dt.UTC)


def today(moment: dt.datetime | None = None) -> dt.date:
    """The date in Sweden at `moment` (an aware moment; by default, this one)."""
    return (moment or now()).astimezone(SWEDEN).date()

"""Dated next steps: a deadline counted from a date answer (e.g. three months after a death)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PLACEHOLDER = "{deadline}"


@dataclass(frozen=True)
class Deadline:
    """A date `months` and `days` after the answer to a date question (negative: before)."""

    answer: str
    months: int = 0
    days: int = 0

    def as_dict(self) -> dict[str, Any]:
        """The deadline as written in the definition (for the open API)."""
        return {"from": self.answer, "months": self.months, "days": self.days}


def parse_deadline(raw: Any, date_questions: set[str]) -> Deadline:
    """Read a step's `deadline`; raise ValueError with what is wrong."""
    if not isinstance(raw, dict):
        raise ValueError("a deadline is a mapping with 'from' and 'months' or 'days'")
    unknown = sorted(set(raw) - {"from", "months", "days"})
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r}")
    if raw.get("from") not in date_questions:
        raise ValueError(f"a deadline counts from a date question, not {raw.get('from')!r}")
    months, days = raw.get("months", 0), raw.get("days", 0)
    if not isinstance(months, int) or not isinstance(days, int) or isinstance(months, bool):
        raise ValueError("'months' and 'days' are whole numbers")
    return Deadline(answer=raw["from"], months=months, days=days)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has no such day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))


def deadline_date(deadline: Deadline | None, answers: Mapping[str, Any]) -> dt.date | None:
    """The deadline for these answers, or None when the date is not answered."""
    if deadline is None:
        return None
    start = answers.get(deadline.answer)
    if isinstance(start, str):
        try:
            start = dt.date.fromisoformat(start)
        except ValueError:
            return None
    if not isinstance(start, dt.date):
        return None
    return add_months(start, deadline.months) + dt.timedelta(days=deadline.days)


def fill_deadline(template: str, when: dt.date | None, formatted: str | None = None) -> str:
    """A next-step text with its deadline written in (`formatted` in the reader's language)."""
    if when is None:
        return template
    return template.replace(PLACEHOLDER, formatted or when.isoformat())

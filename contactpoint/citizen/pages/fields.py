"""How a question's input is drawn: as wide as its longest answer (GOV.UK's width classes),
and the format every date field shows."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from workflows import Question

# Every date field says how to write a date; a question's own hint adds what it is about.
DATE_FORMAT_HINT = _l("Write year, month and day, for example 2027-03-14.")
# Characters an answer may have → the narrowest GOV.UK width that shows them all.
_TEXT_WIDTHS = ((4, 4), (6, 5), (12, 10), (24, 20), (40, 30))
_FIXED_WIDTHS = {"date": 10, "personal_number": 20, "organisation_number": 20}


def _digits(value: float | None) -> int:
    return len(f"{abs(value):g}") if value is not None else 0


def input_width(question: Question) -> str:
    """The input's width class, e.g. `govuk-input--width-5`; empty for a full-width input."""
    if question.type in _FIXED_WIDTHS:
        return f"govuk-input--width-{_FIXED_WIDTHS[question.type]}"
    if question.type == "number":
        digits = max(_digits(question.minimum), _digits(question.maximum)) or 10
        return f"govuk-input--width-{next((w for w in (2, 3, 4, 5) if digits <= w), 10)}"
    width = next((w for longest, w in _TEXT_WIDTHS if question.max_length <= longest), None)
    return f"govuk-input--width-{width}" if width else ""


def field_hint(question: Question, hint: str | None) -> str | None:
    """The hint under a question: its own, then, for a date, how to write it."""
    if question.type != "date":
        return hint
    return f"{hint} {DATE_FORMAT_HINT}" if hint else str(DATE_FORMAT_HINT)

"""Numbers as people write them: "25 000", "25 000 kr", "25,000" in English, "12,5" in Swedish.

Spaces of any kind group the digits; a currency word before or after is dropped; the decimal
mark is the language's ("," in Swedish, "." in English; a Swedish "." is a decimal mark too
when no comma is typed). Scientific notation, infinity and NaN are never numbers here.
"""

from __future__ import annotations

import math
import re
from typing import Any

from marshmallow import fields

CURRENCY = re.compile(r"^(?:sek|kr\.?)\s*|\s*(?:kr\.?|kronor|sek|:-)$", re.IGNORECASE)
SPACES = re.compile(r"[\s\u00a0\u2007\u202f'_]+")
PLAIN = r"[+-]?\d+"
GROUPED = r"[+-]?\d{1,3}(?:,\d{3})+"  # English thousands: 25,000 or 1,234,567
NOT_A_NUMBER = "Not a number."


def parse_number(typed: str, language: str | None = None) -> float | None:
    """The number `typed` means in `language` (None: "." is the decimal mark, as in JSON), or
    None if it is not a number written in digits."""
    text = CURRENCY.sub("", typed.strip())
    text = SPACES.sub("", text).replace("\u2212", "-")
    if language == "en":
        pattern = rf"(?:{GROUPED}|{PLAIN})(?:\.\d+)?"
    elif language == "sv":
        pattern = rf"{PLAIN}(?:[,.]\d+)?"
    else:
        pattern = rf"{PLAIN}(?:\.\d+)?"
    if not re.fullmatch(pattern, text):
        return None
    if language == "en":
        text = text.replace(",", "")
    value = float(text.replace(",", "."))
    return value if math.isfinite(value) else None


class Number(fields.Float):
    """A number answer: a JSON number, or digits as the language writes them; never NaN,
    infinity or scientific notation."""

    default_error_messages = {"invalid": NOT_A_NUMBER, "special": NOT_A_NUMBER}

    def __init__(self, language: str | None = None, **kwargs: Any) -> None:
        super().__init__(allow_nan=False, **kwargs)
        self.language = language

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> float:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        if isinstance(value, str):
            parsed = parse_number(value, self.language)
            if parsed is None:
                raise self.make_error("invalid")
            value = parsed
        number = super()._deserialize(value, attr, data, **kwargs)
        if number is None or not math.isfinite(number):
            raise self.make_error("invalid")
        return float(number)

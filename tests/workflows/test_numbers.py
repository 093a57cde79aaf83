"""Numbers as people write them in Swedish and English; never scientific notation, inf, NaN."""

from __future__ import annotations

import math

import pytest
from marshmallow import ValidationError

from workflows import Question, clean_answer
from workflows.numbers import parse_number

CAPITAL = Question(id="share_capital", type="number", text={"sv": "x", "en": "x"}, minimum=25000)


@pytest.mark.parametrize(
    ("typed", "language", "meant"),
    [
        ("25 000", "sv", 25000),
        ("25\u00a0000", "sv", 25000),
        ("25\u202f000 kr", "sv", 25000),
        ("25000 kr", "sv", 25000),
        ("25 000 kronor", "sv", 25000),
        ("25 000:-", "sv", 25000),
        ("12,5", "sv", 12.5),
        ("12.5", "sv", 12.5),
        ("25,000", "en", 25000),
        ("1,234,567.50", "en", 1234567.5),
        ("25 000 SEK", "en", 25000),
        ("12.5", None, 12.5),
    ],
)
def test_an_amount_is_read_as_the_language_writes_it(
    typed: str, language: str | None, meant: float
) -> None:
    assert parse_number(typed, language) == meant


@pytest.mark.parametrize("typed", ["1e9", "2E5", "inf", "Infinity", "-inf", "nan", "NaN", "0x10"])
@pytest.mark.parametrize("language", ["sv", "en", None])
def test_scientific_notation_infinity_and_nan_are_not_numbers(
    typed: str, language: str | None
) -> None:
    assert parse_number(typed, language) is None
    with pytest.raises(ValidationError):
        clean_answer(CAPITAL, typed, language)


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan, True])
def test_a_json_infinity_nan_or_boolean_is_not_a_number(value: float) -> None:
    with pytest.raises(ValidationError):
        clean_answer(CAPITAL, value)


def test_commas_are_read_as_the_language_has_them() -> None:
    assert parse_number("1,5", "en") is None  # not a thousands group: ask again
    assert parse_number("1,234,5", "en") is None
    assert parse_number("25,000", "sv") == 25.0  # a decimal comma in Swedish
    assert clean_answer(CAPITAL, "25 000 kr", "sv") == 25000
    assert clean_answer(CAPITAL, "25,000", "en") == 25000

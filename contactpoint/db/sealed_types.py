"""Column types that seal personal data at rest, and rows sealed as those columns store them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from contactpoint.db.protection import (
    open_answers,
    open_detail,
    open_number,
    seal_answers,
    seal_detail,
    seal_number,
    sealings,
)

# A sealed personal identity number: "pn.<key id>.<base64url of SIV tag and ciphertext>",
# 51 characters for the 13 of a number with its century and hyphen.
NUMBER_LENGTH = 64


class PersonalNumber(sa.TypeDecorator[str]):
    """A column of personal identity numbers, sealed (`seal_number`). Compared with a number,
    or a list of them, it matches the values that seal it under every key that opens."""

    impl = sa.String(NUMBER_LENGTH)
    cache_ok = True

    class comparator_factory(sa.TypeDecorator.Comparator[str]):  # noqa: N801 (SQLAlchemy's name)
        def __eq__(self, other: Any) -> Any:
            if isinstance(other, str):
                return self._sealing_any([other])
            return super().__eq__(other)

        def in_(self, other: Any) -> Any:
            if isinstance(other, list | tuple) and all(isinstance(n, str) for n in other):
                return self._sealing_any(other)
            return super().in_(other)

        def _sealing_any(self, numbers: Iterable[str]) -> Any:
            stored = sa.type_coerce(self.expr, sa.String)  # compared as stored, not sealed again
            values = [value for number in numbers for value in sealings(number)]
            return stored == values[0] if len(values) == 1 else stored.in_(values)

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else seal_number(value)

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else open_number(value)


class SealedAnswers(sa.TypeDecorator[Any]):
    """A column of answers (a JSON object) or free text, sealed (`seal_answers`); never looked
    into by SQL."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else seal_answers(value)

    def process_result_value(self, value: str | None, dialect: Any) -> Any:
        return None if value is None else open_answers(value)


class SealedDetail(sa.TypeDecorator[Any]):
    """A JSON object whose free text (`FREE_TEXT`) is sealed (`seal_detail`)."""

    impl = sa.JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        return seal_detail(value) if isinstance(value, dict) else value

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        return open_detail(value) if isinstance(value, dict) else value


_SEALING = (PersonalNumber, SealedAnswers, SealedDetail)


def seals(column: sa.ColumnElement[Any]) -> bool:
    """Whether the column's values are sealed at rest, or hold sealed values."""
    return isinstance(column.type, _SEALING)


def stored_row(table: sa.Table, row: dict[str, Any]) -> dict[str, Any]:
    """A row of column values as `table` stores them, sealed where its columns seal, for a
    statement that passes no value through the columns' types (rows as JSON, or the
    driver's own batches)."""
    sealed = dict(row)
    for name, value in row.items():
        column_type = table.c[name].type
        if isinstance(column_type, _SEALING):  # as `seals` says
            sealed[name] = column_type.process_bind_param(value, None)
    return sealed

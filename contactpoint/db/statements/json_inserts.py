"""Inserts of many rows as one JSON parameter (PostgreSQL): timeline lines, transfers, records."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from contactpoint.db.sealed_types import stored_row
from contactpoint.db.statements.people import ONE_TRANSFER, TRANSFER_COLUMNS
from contactpoint.db.statements.tables import EVENTS, SHARES

LINE_COLUMNS = ("case_id", "step_id", "at", "kind", "detail")

# The moment and kind of a statement's own line (params: line_at, line_kind). No parameter of
# a statement that changes a table is named as a column of it: SQLAlchemy would set the column.
LINE_AT_KIND = (
    sa.bindparam("line_at", type_=EVENTS.c.at.type),
    sa.bindparam("line_kind", type_=EVENTS.c.kind.type),
)

# The place of a statement's own timeline line in an ordering of the lines gathered before it.
_LAST_LINE: sa.ColumnClause[Any] = sa.literal_column(str(2**31 - 1))


def as_json(rows: list[dict[str, Any]] | dict[str, Any]) -> str:
    """Rows of column values as a JSON array (or one row as an object), for
    `insert_from_json`."""
    return json.dumps(rows, default=_json_value, separators=(",", ":"))


def lines_json(rows: list[dict[str, Any]]) -> str:
    """Timeline lines as `as_json` gives them, their free text sealed as the column seals it:
    a statement that takes rows as JSON passes nothing through the column's type."""
    return as_json([stored_row(EVENTS, row) for row in rows])


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def insert_from_json(
    table: sa.Table, columns: tuple[str, ...], param: str, one: bool = False
) -> str:
    """PostgreSQL: insert the rows of one JSON array parameter (`as_json`), in their order;
    with `one`, the row of one JSON object.

    One statement text, so one cached compilation and one plan, whatever the number of
    rows; a multi-row VALUES is neither cached by SQLAlchemy nor the same text twice. (The
    planner takes a JSON array for 100 rows, a JSON object for one.)
    """
    names = ", ".join(columns)
    rows = (
        f"json_populate_record(NULL::{table.name}, CAST(:{param} AS json)) AS r"
        if one
        else f"json_populate_recordset(NULL::{table.name}, CAST(:{param} AS json))"
        " WITH ORDINALITY AS r ORDER BY r.ordinality"
    )
    return f"INSERT INTO {table.name} ({names}) SELECT {names} FROM {rows}"


def with_lines(own: sa.Select[Any], share: bool) -> list[Any]:
    """What a statement writes besides its change (as WITH parts): the timeline lines its
    atomic block has gathered, then its own (`own`'s row, if any, as LINE_COLUMNS), as
    `insert_lines` does, and with `share` the block's transfer once (`insert_transfer_once`).

    The parts of a data-modifying WITH run in no order and see none of each other's changes:
    the lines are one INSERT, in their order.
    """
    writes = [insert_lines(own).cte("lines")]
    if share:
        writes.append(insert_transfer_once().cte("share"))
    return writes


def insert_lines(own: sa.Select[Any] | None = None) -> sa.Insert:
    """PostgreSQL: the timeline lines an atomic block has gathered (params: lines, as
    `as_json` rows of EVENT's params), in order, and after them `own`'s row if any."""
    gathered = _from_json("json_populate_recordset", EVENTS, LINE_COLUMNS, "lines", True)
    earlier = sa.select(*(gathered.c[name] for name in LINE_COLUMNS), gathered.c.ordinality)
    rows = earlier if own is None else sa.union_all(earlier, own.add_columns(_LAST_LINE))
    line = rows.subquery("line")
    in_order = sa.select(*(line.c[name] for name in LINE_COLUMNS)).order_by(line.c.ordinality)
    return sa.insert(EVENTS).from_select(LINE_COLUMNS, in_order)


def insert_transfer_once() -> Any:
    """PostgreSQL: a step's transfer in the sharing log, once (params: share, as `as_json`
    of one row of TRANSFER_COLUMNS)."""
    row = _from_json("json_populate_record", SHARES, TRANSFER_COLUMNS, "share")
    taken = sa.select(*(row.c[name] for name in TRANSFER_COLUMNS))
    once = postgresql.insert(SHARES).from_select(TRANSFER_COLUMNS, taken)
    return once.on_conflict_do_nothing(**ONE_TRANSFER)


def _from_json(
    function: str, table: sa.Table, columns: tuple[str, ...], param: str, ordered: bool = False
) -> Any:
    """The rows (or the row) of one JSON parameter as `table`'s, as `insert_from_json` reads
    them, for a statement built in SQLAlchemy; `ordered` numbers them (`ordinality`)."""
    rows = getattr(sa.func, function)(
        sa.literal_column(f"NULL::{table.name}"), sa.cast(sa.bindparam(param), sa.JSON)
    )
    if ordered:  # PostgreSQL's own name for the number: an alias list would rename the table's
        return rows.table_valued(*columns, with_ordinality="ordinality")
    return rows.table_valued(*columns)

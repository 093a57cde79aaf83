"""Counts for pages over a history that only grows: they stop at `COUNTED_UP_TO` and say so.

Some lists are a record of everything that ever happened (an agency's every step, its audit
trail): after a few years of a country's cases, millions of rows. Counting them exactly reads
every one at each page; nobody pages that far (a filter or a reference finds a row). Such a
count reads `COUNTED_UP_TO` rows and one more, which says there are more, and the pages reach
as far.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

COUNTED_UP_TO = 10_000


def count_up_to(rows: sa.Select[Any], bounded: bool = True) -> sa.Select[Any]:
    """How many rows `rows` finds; `bounded`: COUNTED_UP_TO, and one more if there are more
    (`shown` tells them apart)."""
    if bounded:
        rows = rows.limit(COUNTED_UP_TO + 1)
    return sa.select(sa.func.count()).select_from(rows.subquery())


def shown(count: int) -> tuple[int, bool]:
    """A bounded count as a page shows it, and whether there are more than that."""
    return min(count, COUNTED_UP_TO), count > COUNTED_UP_TO

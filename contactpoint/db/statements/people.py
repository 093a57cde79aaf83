"""Prebuilt statements of people and the sharing log of their data (transfers, register reads,
views)."""

from __future__ import annotations

from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from contactpoint.db.models.cases import TRANSFER, VIEW
from contactpoint.db.statements.tables import PEOPLE, SHARES

# A person's row (params: person_id).
PERSON = sa.select(*PEOPLE.c).where(PEOPLE.c.id == sa.bindparam("person_id"))

# A step's transfer in the sharing log: the columns that `share_once` takes.
TRANSFER_COLUMNS = (
    "person_id", "kind", "case_id", "step_id", "recipient", "fields", "basis", "reference", "at",
)  # fmt: skip

# Entries of the sharing log (rows of column values).
NEW_SHARES = sa.insert(SHARES)

# The unique index by which a step's transfer is written once (ix_data_shares_transfer_step).
ONE_TRANSFER: dict[str, Any] = {
    "index_elements": ["step_id"],
    "index_where": TRANSFER,
}


@cache
def share_once(dialect_name: str) -> Any:
    """A step's transfer in the sharing log, once: a step sent again adds nothing (params:
    TRANSFER_COLUMNS). One statement where a look first and an insert then were two round
    trips."""
    dialect: Any = postgresql if dialect_name == "postgresql" else sqlite
    values = {name: sa.bindparam(name, type_=SHARES.c[name].type) for name in TRANSFER_COLUMNS}
    return dialect.insert(SHARES).values(values).on_conflict_do_nothing(**ONE_TRANSFER)


# A read at the step's agency in the sharing log: the columns that `view_folded` takes.
VIEW_COLUMNS = (
    "person_id", "case_id", "step_id", "recipient", "role", "fields", "window_start", "at",
)  # fmt: skip
# Why an agency reads a step it received (a view's `basis`).
VIEW_BASIS = "case_handling"


@cache
def view_folded(dialect_name: str) -> Any:
    """A read of a step's data at its agency in the sharing log (params: VIEW_COLUMNS): a new
    entry, or, for a read of the same step in the same role within the same window, one
    more on the entry's `times`, its `at` the latest and its fields the last shown. One
    statement, with no read before it: two reads at once both count."""
    dialect: Any = postgresql if dialect_name == "postgresql" else sqlite
    values = {name: sa.bindparam(name, type_=SHARES.c[name].type) for name in VIEW_COLUMNS}
    insert = dialect.insert(SHARES).values(kind="view", basis=VIEW_BASIS, **values)
    later = insert.excluded.at > SHARES.c.at
    return insert.on_conflict_do_update(
        index_elements=["step_id", "role", "window_start"],
        index_where=VIEW,
        set_={
            "times": SHARES.c.times + 1,
            "at": sa.case((later, insert.excluded.at), else_=SHARES.c.at),
            "fields": sa.case((later, insert.excluded.fields), else_=SHARES.c.fields),
        },
    )


# The register reads of a journey now belong to the case it became (params: person,
# journey (its life event), new_case_id; an UPDATE's parameters may not be named as columns).
ATTACH_READS = (
    sa.update(SHARES)
    .where(
        SHARES.c.person_id == sa.bindparam("person"),
        SHARES.c.case_id.is_(None),
        SHARES.c.kind == "register_read",
        SHARES.c.life_event == sa.bindparam("journey"),
    )
    .values(case_id=sa.bindparam("new_case_id"))
)

"""Prebuilt statements of people and the sharing log of their data (transfers, register reads)."""

from __future__ import annotations

from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from contactpoint.db.statements.tables import PEOPLE, SHARES

# A person's row (params: person_id).
PERSON = sa.select(*PEOPLE.c).where(PEOPLE.c.id == sa.bindparam("person_id"))

# A step's transfer in the sharing log: the columns that `share_once` takes.
TRANSFER_COLUMNS = (
    "person_id", "kind", "case_id", "step_id", "recipient", "fields", "basis", "reference", "at",
)  # fmt: skip

# Entries of the sharing log (rows of column values).
NEW_SHARES = sa.insert(SHARES)


@cache
def share_once(dialect_name: str) -> Any:
    """A step's transfer in the sharing log, once: a step sent again adds nothing (params:
    TRANSFER_COLUMNS). One statement where a look first and an insert then were two round
    trips."""
    dialect: Any = postgresql if dialect_name == "postgresql" else sqlite
    values = {name: sa.bindparam(name, type_=SHARES.c[name].type) for name in TRANSFER_COLUMNS}
    return dialect.insert(SHARES).values(values).on_conflict_do_nothing(index_elements=["step_id"])


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

"""protected at rest: personal identity numbers and answers sealed with PERSONAL_DATA_KEY

Revision ID: 0009
Revises: 0008

Seals what is there in place, a thousand rows at a time (keyset by id), under the key the
app is configured with: run it with the PERSONAL_DATA_KEY every host will have. The downgrade
opens them again with the same key.
"""

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

from contactpoint.db.protection import open_answers, open_number, seal_answers, seal_number
from contactpoint.db.reseal import rewrite
from contactpoint.db.sealed_types import NUMBER_LENGTH

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

NUMBERS = (("people", "personal_number", False), ("cases", "on_behalf_of", True))
ANSWERS = ("cases", "drafts")


def upgrade() -> None:
    for table, column, nullable in NUMBERS:
        _retype(table, column, sa.String(NUMBER_LENGTH), sa.String(13), nullable)
        rewrite(op.get_bind(), table, column, seal_number)
    for table in ANSWERS:
        _retype(table, "answers", sa.Text(), sa.JSON(), False, "answers::text")
        rewrite(op.get_bind(), table, "answers", lambda text: seal_answers(json.loads(text)))


def downgrade() -> None:
    for table in ANSWERS:
        rewrite(op.get_bind(), table, "answers", lambda sealed: json.dumps(open_answers(sealed)))
        _retype(table, "answers", sa.JSON(), sa.Text(), False, "answers::json")
    for table, column, nullable in NUMBERS:
        rewrite(op.get_bind(), table, column, open_number)
        _retype(table, column, sa.String(13), sa.String(NUMBER_LENGTH), nullable)


def _retype(
    table: str,
    column: str,
    new: sa.types.TypeEngine[Any],
    old: sa.types.TypeEngine[Any],
    nullable: bool,
    using: str | None = None,
) -> None:
    """A column's new type. Not on SQLite, which keeps any text in any column whatever its
    declared type, and where a new type means a new table: `people`'s would break the
    foreign keys that point at it."""
    if op.get_bind().dialect.name == "sqlite":
        return
    op.alter_column(
        table, column, type_=new, existing_type=old, existing_nullable=nullable,
        postgresql_using=using,
    )


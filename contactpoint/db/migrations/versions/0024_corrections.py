"""corrections: a case that joins one already reported by another person (`cases.joins`)

Revision ID: 0024
Revises: 0023

A death or a birth reported by a second person with the right relation is not sent again:
their case joins the first one, and carries only the steps that are theirs to add.
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN on every database: no table is copied (SQLite's batch mode would
    # drop `cases`, which the steps' foreign keys refuse).
    op.add_column("cases", sa.Column("joins", sa.String(length=32), nullable=True))
    op.create_index("ix_cases_joins", "cases", ["joins"])


def downgrade() -> None:
    op.drop_index("ix_cases_joins", table_name="cases")
    op.drop_column("cases", "joins")

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
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("joins", sa.String(length=32), nullable=True))
        batch.create_index("ix_cases_joins", ["joins"])


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_joins")
        batch.drop_column("joins")

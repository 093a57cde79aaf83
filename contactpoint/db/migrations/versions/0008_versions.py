"""versions: a counter on cases and steps that every change of the row increases

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("cases", "steps"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    for table in ("steps", "cases"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")

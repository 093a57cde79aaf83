"""scheduled retries: a step whose agency stays unreachable waits in the database

Revision ID: 0012
Revises: 0011

After its quick attempts (seconds apart, held by Celery), a step whose agency cannot be
reached is tried again every few minutes for as long as the retry policy allows. Those
retries wait here, not in the broker: `retry_at` is when recovery sends the step again.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("steps", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retry_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("steps", schema=None) as batch_op:
        batch_op.drop_column("retry_at")

"""next attempts: when a step waiting for a retry is tried again, whoever holds the retry

Revision ID: 0017
Revises: 0016

A step whose agency did not answer waits for its next attempt: seconds in the broker, or
minutes in the database (`retry_at`, for recovery to send). `next_attempt_at` is when that
attempt is due, either way, so the citizen and the agency's officers read "trying again at
14:05" instead of "being sent". A step waiting for a scheduled retry has it from `retry_at`.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("steps", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True)
        )
    op.execute(
        "UPDATE steps SET next_attempt_at = retry_at"
        " WHERE status = 'running' AND retry_at IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("steps", schema=None) as batch_op:
        batch_op.drop_column("next_attempt_at")

"""ended sessions: the ids of sessions signed out, timed out or replaced, in the database

Revision ID: 0015
Revises: 0014

A page's request learns whether its session has ended in the statement that reads what the
page shows (My pages), or in one of its own, instead of a round trip to Redis.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ended_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ended_sessions_ended_at", "ended_sessions", ["ended_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_ended_sessions_ended_at", table_name="ended_sessions")
    op.drop_table("ended_sessions")

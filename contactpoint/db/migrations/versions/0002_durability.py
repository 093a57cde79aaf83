"""durability: step leases, withdrawals, agency callbacks applied once

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("steps") as batch:
        batch.add_column(sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("withdrawal", sa.String(length=8), nullable=True))
        batch.create_index("ix_steps_status_lease", ["status", "lease_expires_at"])
    op.create_table(
        "agency_callbacks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("agency", sa.String(length=40), nullable=False),
        sa.Column("callback_id", sa.String(length=100), nullable=False),
        sa.Column("step_id", sa.String(length=32), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agency", "callback_id"),
    )
    op.create_index("ix_agency_callbacks_step_id", "agency_callbacks", ["step_id"])


def downgrade() -> None:
    op.drop_index("ix_agency_callbacks_step_id", table_name="agency_callbacks")
    op.drop_table("agency_callbacks")
    with op.batch_alter_table("steps") as batch:
        batch.drop_index("ix_steps_status_lease")
        batch.drop_column("withdrawal")
        batch.drop_column("lease_expires_at")

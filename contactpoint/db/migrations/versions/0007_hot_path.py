"""hot path: indexes for attaching a journey's register reads and for the recovery sweep

Drops ix_steps_agency_status: ix_steps_inbox begins with the same columns, and every change
of a step's status paid for updating both.

Revision ID: 0007
Revises: 0006
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("data_shares", schema=None) as batch_op:
        batch_op.create_index("ix_data_shares_person_case", ["person_id", "case_id"], unique=False)
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index("ix_cases_status", ["status"], unique=False)
    with op.batch_alter_table("steps", schema=None) as batch_op:
        batch_op.drop_index("ix_steps_agency_status")


def downgrade() -> None:
    with op.batch_alter_table("steps", schema=None) as batch_op:
        batch_op.create_index("ix_steps_agency_status", ["agency", "status"], unique=False)
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_status")
    with op.batch_alter_table("data_shares", schema=None) as batch_op:
        batch_op.drop_index("ix_data_shares_person_case")

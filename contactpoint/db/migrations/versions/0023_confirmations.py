"""confirmations: another person's yes that steps of a case wait for

Revision ID: 0023
Revises: 0022

A step held back for the other guardian or a second signatory names its confirmation; the
confirmation says who must give it and whether they have.
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "confirmations",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("person_id", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_confirmations_case_id", "confirmations", ["case_id"])
    op.create_index(
        "ix_confirmations_person_created", "confirmations", ["person_id", "created_at"]
    )
    with op.batch_alter_table("steps") as batch:
        batch.add_column(sa.Column("confirmation_id", sa.String(length=32), nullable=True))
        batch.create_index("ix_steps_confirmation_id", ["confirmation_id"])


def downgrade() -> None:
    with op.batch_alter_table("steps") as batch:
        batch.drop_index("ix_steps_confirmation_id")
        batch.drop_column("confirmation_id")
    op.drop_index("ix_confirmations_person_created", table_name="confirmations")
    op.drop_index("ix_confirmations_case_id", table_name="confirmations")
    op.drop_table("confirmations")

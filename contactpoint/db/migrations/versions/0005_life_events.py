"""life events: who a case is on behalf of, and feedback per life event

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("on_behalf_of", sa.String(length=13), nullable=True))
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("life_event", sa.String(length=80), nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=True),
        sa.Column("ease", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id"),
    )
    with op.batch_alter_table("feedback") as batch:
        batch.create_index("ix_feedback_life_event", ["life_event"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("feedback") as batch:
        batch.drop_index("ix_feedback_life_event")
    op.drop_table("feedback")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("on_behalf_of")

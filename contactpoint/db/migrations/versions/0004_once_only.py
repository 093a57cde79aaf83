"""once only: answer sources, the consented preview, register reads in the sharing log

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

EMPTY = sa.text("'{}'")


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("sources", sa.JSON(), nullable=False, server_default=EMPTY))
        batch.add_column(
            sa.Column("consented_preview", sa.JSON(), nullable=False, server_default=EMPTY)
        )
    with op.batch_alter_table("drafts") as batch:
        batch.add_column(sa.Column("sources", sa.JSON(), nullable=False, server_default=EMPTY))
    with op.batch_alter_table("data_shares") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(length=16), nullable=False, server_default="transfer")
        )
        batch.add_column(sa.Column("register", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("life_event", sa.String(length=80), nullable=True))
        batch.alter_column("case_id", existing_type=sa.String(length=32), nullable=True)
        batch.alter_column("step_id", existing_type=sa.String(length=32), nullable=True)
        batch.create_index("ix_data_shares_case_id", ["case_id"], unique=False)


def downgrade() -> None:
    op.execute("DELETE FROM data_shares WHERE kind <> 'transfer'")
    with op.batch_alter_table("data_shares") as batch:
        batch.drop_index("ix_data_shares_case_id")
        batch.alter_column("step_id", existing_type=sa.String(length=32), nullable=False)
        batch.alter_column("case_id", existing_type=sa.String(length=32), nullable=False)
        batch.drop_column("life_event")
        batch.drop_column("register")
        batch.drop_column("kind")
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("sources")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("consented_preview")
        batch.drop_column("sources")

"""messages: the person's mailbox, one message per change it is about

Revision ID: 0019
Revises: 0018

A complement request, a decision or a deadline becomes a message to the person, written with
the change that causes it; `key` names that change, so that it never makes two. Its facts
(`params`) are sealed, as an officer's words may name anyone.
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "messages",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("person_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=True),
        sa.Column("step_id", sa.String(length=32), nullable=True),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=True),
        sa.Column("action_life_event", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("dismissed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_index("ix_messages_case_id", "messages", ["case_id"], unique=False)
    op.create_index(
        "ix_messages_person_created", "messages", ["person_id", "created_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_messages_person_created", table_name="messages")
    op.drop_index("ix_messages_case_id", table_name="messages")
    op.drop_table("messages")

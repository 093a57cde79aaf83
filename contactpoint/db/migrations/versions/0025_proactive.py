"""proactive: the register events consumed, the step deadlines a rule watches, the cursors

Revision ID: 0025
Revises: 0024

A register event is acted on once, by its id. A watched deadline is read by the proactive
pass through a partial index of the unsettled ones, by the day its reminder is due. A rule
over cases reads those submitted since its cursor, by ix_cases_created_at.
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

UNSETTLED = sa.text("settled_at IS NULL")


def upgrade() -> None:
    op.create_table(
        "consumed_register_events",
        sa.Column("event_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("consumed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_table(
        "deadline_watches",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("rule", sa.String(length=80), nullable=False),
        sa.Column("person_id", sa.String(length=32), nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("step_id", sa.String(length=32), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("remind_on", sa.Date(), nullable=False),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("rule", "step_id", name="uq_deadline_watches_rule_step"),
    )
    op.create_table(
        "proactive_cursors",
        sa.Column("rule", sa.String(length=80), nullable=False),
        sa.Column("through_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("through_id", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("rule"),
    )
    op.create_index("ix_deadline_watches_case_id", "deadline_watches", ["case_id"])
    op.create_index(
        "ix_deadline_watches_due",
        "deadline_watches",
        ["remind_on", "id"],
        postgresql_where=UNSETTLED,
        sqlite_where=UNSETTLED,
    )


def downgrade() -> None:
    op.drop_index("ix_deadline_watches_due", table_name="deadline_watches")
    op.drop_index("ix_deadline_watches_case_id", table_name="deadline_watches")
    op.drop_table("proactive_cursors")
    op.drop_table("deadline_watches")
    op.drop_table("consumed_register_events")

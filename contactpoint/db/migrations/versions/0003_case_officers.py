"""case officers: decisions and complements on steps, assignment, service levels, audit trail

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The audit trail is append-only: the database itself refuses to change an entry.
NO_UPDATE = {
    "sqlite": [
        "CREATE TRIGGER audit_entries_append_only BEFORE UPDATE ON audit_entries "
        "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION audit_entries_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END; $$ LANGUAGE plpgsql",
        "CREATE TRIGGER audit_entries_append_only BEFORE UPDATE ON audit_entries "
        "FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()",
    ],
}
DROP_NO_UPDATE = {
    "sqlite": ["DROP TRIGGER IF EXISTS audit_entries_append_only"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries",
        "DROP FUNCTION IF EXISTS audit_entries_append_only()",
    ],
}


def upgrade() -> None:
    with op.batch_alter_table("steps") as batch:
        batch.add_column(sa.Column("outcome", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("complement_question", sa.Text(), nullable=True))
        batch.add_column(sa.Column("complement_answer", sa.Text(), nullable=True))
        batch.add_column(sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("assigned_to", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_steps_inbox", ["agency", "status", "ball", "due_at"])
        batch.create_index("ix_steps_agency_finished", ["agency", "finished_at"])
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("agency", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=True),
        sa.Column("step_id", sa.String(length=32), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_entries") as batch:
        batch.create_index("ix_audit_entries_agency_at", ["agency", "at"])
        batch.create_index("ix_audit_entries_case_id", ["case_id"])
    dialect = op.get_bind().dialect.name
    for statement in NO_UPDATE.get(dialect, []):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in DROP_NO_UPDATE.get(dialect, []):
        op.execute(statement)
    with op.batch_alter_table("audit_entries") as batch:
        batch.drop_index("ix_audit_entries_case_id")
        batch.drop_index("ix_audit_entries_agency_at")
    op.drop_table("audit_entries")
    with op.batch_alter_table("steps") as batch:
        batch.drop_index("ix_steps_agency_finished")
        batch.drop_index("ix_steps_inbox")
        batch.drop_column("assigned_at")
        batch.drop_column("assigned_to")
        batch.drop_column("due_at")
        batch.drop_column("complement_answer")
        batch.drop_column("complement_question")
        batch.drop_column("outcome")

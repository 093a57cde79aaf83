"""retention: indexes for finding closed cases, register reads and audit entries by age

Partial where they can be: a case enters `ix_cases_closed_at` when it closes, and a register
read leaves `ix_data_shares_unattached_at` when a case takes it, so neither index costs the
steps of an open case anything.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

CLOSED = sa.text("closed_at IS NOT NULL")
UNATTACHED = sa.text("case_id IS NULL")


def upgrade() -> None:
    op.create_index(
        "ix_cases_closed_at", "cases", ["closed_at"], postgresql_where=CLOSED, sqlite_where=CLOSED
    )
    op.create_index(
        "ix_data_shares_unattached_at",
        "data_shares",
        ["at"],
        postgresql_where=UNATTACHED,
        sqlite_where=UNATTACHED,
    )
    op.create_index("ix_audit_entries_at", "audit_entries", ["at"])


def downgrade() -> None:
    op.drop_index("ix_audit_entries_at", table_name="audit_entries")
    op.drop_index("ix_data_shares_unattached_at", table_name="data_shares")
    op.drop_index("ix_cases_closed_at", table_name="cases")

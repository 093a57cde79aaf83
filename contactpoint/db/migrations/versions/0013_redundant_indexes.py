"""redundant indexes: the person's own index where a wider one starts with the person

Revision ID: 0013
Revises: 0012

`ix_cases_person_created` (person, created), `ix_data_shares_person_case` (person, case)
and the drafts' unique (person, life event) each serve every lookup by person alone, so the
single-column indexes on `person_id` only cost writes: one index entry fewer per case and per
data share (one a step), and per draft.
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

REDUNDANT = (
    ("cases", "ix_cases_person_id"),
    ("data_shares", "ix_data_shares_person_id"),
    ("drafts", "ix_drafts_person_id"),
)


def upgrade() -> None:
    for table, index in REDUNDANT:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(index)


def downgrade() -> None:
    for table, index in REDUNDANT:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(index, ["person_id"], unique=False)

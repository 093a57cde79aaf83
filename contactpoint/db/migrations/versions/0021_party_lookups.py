"""party lookups: the cases made on someone's behalf, and a step by its agency's reference

Revision ID: 0021
Revises: 0020

Mina ärenden asks for a person's customer events: the cases they made (found through
`ix_cases_person_created`) and those made on their behalf, a child's or an estate's
(`cases.on_behalf_of`, sealed deterministically, so found by equality); and for a case by its
agency's reference (`steps.agency_reference`, the diary number). Each is an index here, so
that neither lookup reads every case. Both are partial: most cases are nobody else's, and a
step has no reference until its agency gives one.
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_cases_on_behalf_of", "cases", "on_behalf_of"),
    ("ix_steps_agency_reference", "steps", "agency_reference"),
)


def upgrade() -> None:
    for name, table, column in INDEXES:
        given = sa.text(f"{column} IS NOT NULL")
        op.create_index(
            name, table, [column], postgresql_where=given, sqlite_where=given
        )


def downgrade() -> None:
    for name, table, _column in INDEXES:
        op.drop_index(name, table_name=table)

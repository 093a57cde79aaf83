"""business: powers of attorney for companies, each company's log, and a case's basis

Revision ID: 0026
Revises: 0025

A signatory of a company gives a person a power of attorney for named life events and a
period (the holder's and the giver's numbers sealed, found by equality). The company's log
holds each thing done for it, by whom and on what basis; a company's case keeps the basis
its maker acted on (`cases.acting_basis`), which the agencies receive.
"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "powers_of_attorney",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("organisation_number", sa.String(length=16), nullable=False),
        sa.Column("holder", sa.String(length=64), nullable=False),
        sa.Column("granted_by", sa.String(length=64), nullable=False),
        sa.Column("confirmed_by", sa.String(length=64), nullable=True),
        sa.Column("life_events", sa.JSON(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_powers_of_attorney_organisation", "powers_of_attorney", ["organisation_number"]
    )
    op.create_index("ix_powers_of_attorney_holder", "powers_of_attorney", ["holder"])
    op.create_table(
        "company_log",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("organisation_number", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("person_id", sa.String(length=32), nullable=False),
        sa.Column("basis", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_company_log_organisation_at", "company_log", ["organisation_number", "at"])
    # A nullable column added in place: no copy of `cases`, which other tables refer to.
    op.add_column("cases", sa.Column("acting_basis", sa.String(length=40), nullable=True))


def downgrade() -> None:
    op.drop_column("cases", "acting_basis")
    op.drop_index("ix_company_log_organisation_at", table_name="company_log")
    op.drop_table("company_log")
    op.drop_index("ix_powers_of_attorney_holder", table_name="powers_of_attorney")
    op.drop_index("ix_powers_of_attorney_organisation", table_name="powers_of_attorney")
    op.drop_table("powers_of_attorney")

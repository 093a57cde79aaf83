"""open statistics: each released month's figures, the published documents, and the indexes
the monthly roll-up counts through

Revision ID: 0020
Revises: 0019

`statistics_releases` holds each roll-up's published JSON document and CSV, also gzipped (a
read serves the latest as it is); `statistics_figures` every released figure, left out or not, so that later
releases keep what was published and what was left out, and add whole years' totals.
Cases by submission time and feedback by time: the roll-up counts one month of each.
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "statistics_releases",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("periods", sa.JSON(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("csv", sa.Text(), nullable=False),
        sa.Column("document_gzip", sa.LargeBinary(), nullable=False),
        sa.Column("csv_gzip", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "statistics_figures",
        sa.Column("life_event", sa.String(length=80), primary_key=True),
        sa.Column("period", sa.String(length=7), primary_key=True),
        sa.Column("measure", sa.String(length=40), primary_key=True),
        sa.Column("step", sa.String(length=80), primary_key=True),
        sa.Column("agency", sa.String(length=40), primary_key=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("base", sa.Integer(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column(
            "release_id", sa.Integer(), sa.ForeignKey("statistics_releases.id"), nullable=False
        ),
    )
    op.create_index("ix_cases_created_at", "cases", ["created_at"])
    op.create_index("ix_feedback_at", "feedback", ["at"])


def downgrade() -> None:
    op.drop_index("ix_feedback_at", table_name="feedback")
    op.drop_index("ix_cases_created_at", table_name="cases")
    op.drop_table("statistics_figures")
    op.drop_table("statistics_releases")

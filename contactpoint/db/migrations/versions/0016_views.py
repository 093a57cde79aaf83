"""views in the sharing log: every read of a step's data at its agency, for the citizen

Revision ID: 0016
Revises: 0015

Each time a case officer opens a step, or the agency's system reads it through the API, the
citizen's sharing log gets an entry of kind `view`: the agency, in which role (`role`:
`officer` or `system`, never who), when, for which step. The reads of one step in one role
within one window fold into one entry: `times` counts them, `at` is the latest and
`window_start` names the window. A step now has its transfer and any number of views, so
`step_id` is unique among the transfers alone.
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

TRANSFER = sa.text("kind = 'transfer'")
VIEW = sa.text("kind = 'view'")
# SQLite's unique constraint on `step_id` has no name: batch mode gives it this one.
NAMED = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
SQLITE_NAME = "uq_data_shares_step_id"
POSTGRESQL_NAME = "data_shares_step_id_key"  # PostgreSQL's own name for it (0001)


def _unique_on_step(bind: Any) -> str:
    """The name of the unique constraint on `data_shares.step_id`."""
    if bind.dialect.name != "postgresql":
        return SQLITE_NAME
    found = sa.inspect(bind).get_unique_constraints("data_shares")
    return next(c["name"] for c in found if c["column_names"] == ["step_id"])


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("data_shares", naming_convention=NAMED) as batch:
        batch.drop_constraint(_unique_on_step(bind), type_="unique")
        batch.add_column(sa.Column("role", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("times", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("window_start", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_data_shares_transfer_step",
        "data_shares",
        ["step_id"],
        unique=True,
        postgresql_where=TRANSFER,
        sqlite_where=TRANSFER,
    )
    op.create_index(
        "ix_data_shares_view_window",
        "data_shares",
        ["step_id", "role", "window_start"],
        unique=True,
        postgresql_where=VIEW,
        sqlite_where=VIEW,
    )


def downgrade() -> None:
    bind = op.get_bind()
    op.execute("DELETE FROM data_shares WHERE kind = 'view'")
    op.drop_index("ix_data_shares_view_window", table_name="data_shares")
    op.drop_index("ix_data_shares_transfer_step", table_name="data_shares")
    name = POSTGRESQL_NAME if bind.dialect.name == "postgresql" else SQLITE_NAME
    with op.batch_alter_table("data_shares") as batch:
        batch.drop_column("window_start")
        batch.drop_column("times")
        batch.drop_column("role")
        batch.create_unique_constraint(name, ["step_id"])

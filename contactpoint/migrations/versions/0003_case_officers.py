"""case officers: decisions and complements on steps

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("steps") as batch:
        batch.add_column(sa.Column("outcome", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("complement_question", sa.Text(), nullable=True))
        batch.add_column(sa.Column("complement_answer", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("steps") as batch:
        batch.drop_column("complement_answer")
        batch.drop_column("complement_question")
        batch.drop_column("outcome")

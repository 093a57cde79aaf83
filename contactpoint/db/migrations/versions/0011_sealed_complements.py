"""sealed complements: the free text between an officer and the citizen sealed at rest

Revision ID: 0011
Revises: 0010

An officer's question and the citizen's answer may name anyone, with their personal identity
number; they are sealed like the answers (`contactpoint.db.protection`), under the key the app
is configured with. The columns stay text; the downgrade opens the values again.
"""

from alembic import op

from contactpoint.db.protection import open_answers, seal_answers
from contactpoint.db.reseal import rewrite

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

COLUMNS = ("complement_question", "complement_answer")


def upgrade() -> None:
    for column in COLUMNS:
        rewrite(op.get_bind(), "steps", column, seal_answers)


def downgrade() -> None:
    for column in COLUMNS:
        rewrite(op.get_bind(), "steps", column, open_answers)

"""sealed reasons: the words of a step's end, and of the timeline and audit trail, sealed

Revision ID: 0014
Revises: 0013

Why a step was rejected or could not be done is free text, written by an officer or an
agency's system, and may name anyone: `steps.status_reason` is sealed as the complements
are, and so are the reasons, questions and answers that the timeline and the audit trail
repeat (`case_events.detail`, `audit_entries.detail`). Kontaktpunkt's own two reasons, which
SQL compares and readers translate, become codes in `steps.reason_code`. Run it with the
PERSONAL_DATA_KEY every host will have; the downgrade opens them again with the same key.
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

from contactpoint.db.protection import open_answers, open_detail, seal_answers, seal_detail
from contactpoint.db.reseal import rewrite, rewrite_details

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# The words these two reasons were stored in, and their codes now.
CODES = {
    "A step this one needs could not be completed.": "dependency_failed",
    "The case was withdrawn.": "withdrawn",
}
DETAILS = ("case_events", "audit_entries")


def upgrade() -> None:
    with op.batch_alter_table("steps", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason_code", sa.String(32), nullable=True))
    bind = op.get_bind()
    for words, code in CODES.items():
        bind.execute(
            sa.text("UPDATE steps SET reason_code = :code, status_reason = NULL"
                    " WHERE status_reason = :words"),
            {"code": code, "words": words},
        )  # fmt: skip
    rewrite(bind, "steps", "status_reason", seal_answers)
    for table in DETAILS:
        rewrite_details(bind, table, "detail", lambda detail: seal_detail(_coded(detail)))


def downgrade() -> None:
    bind = op.get_bind()
    for table in DETAILS:
        rewrite_details(
            bind, table, "detail", lambda detail: _worded(open_detail(detail)), also=("code",)
        )
    rewrite(bind, "steps", "status_reason", open_answers)
    for words, code in CODES.items():
        bind.execute(
            sa.text("UPDATE steps SET status_reason = :words WHERE reason_code = :code"),
            {"code": code, "words": words},
        )
    with op.batch_alter_table("steps", schema=None) as batch_op:
        batch_op.drop_column("reason_code")


def _coded(detail: Any) -> Any:
    """A detail whose reason was one of Kontaktpunkt's own, with its code instead."""
    code = CODES.get(detail.get("reason"))
    if code is None:
        return detail
    return {name: value for name, value in detail.items() if name != "reason"} | {"code": code}


def _worded(detail: Any) -> Any:
    """A detail with a code, with its words instead."""
    words = {code: text for text, code in CODES.items()}.get(detail.get("code"))
    if words is None:
        return detail
    return {name: value for name, value in detail.items() if name != "code"} | {"reason": words}

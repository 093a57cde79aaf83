"""audit chain: the audit trail as a hash chain, its head, retention's checkpoints, and a
database that refuses to change or remove an entry

Revision ID: 0018
Revises: 0017

Each entry gets its position in the chain, the hash of the entry before it and its own hash
(`contactpoint.audit.chain`); the entries an older database holds are hashed here, in the
order they were written (by id), their free text opened with PERSONAL_DATA_KEY (the hash
covers what an entry says, not how it is sealed). `audit_chain_head` holds the last entry,
which appending locks; `audit_checkpoints` where retention cut the chain.

The database's guards, on SQLite and PostgreSQL alike: no entry changes (as since `0003`);
an entry is removed only at or below the latest checkpoint; a checkpoint names an entry of
the trail by position and hash, past the latest one, and is never changed or removed; the
head only moves forward, to an entry of the trail, and stays. On PostgreSQL TRUNCATE of these
tables is refused too.
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

from contactpoint.audit.chain import GENESIS, entry_hash
from contactpoint.db.protection import open_detail

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

CHUNK = 1000
# The update guard of `0003`, which hashing the entries lifts for a moment.
UPDATE_GUARD = {
    "sqlite": "CREATE TRIGGER audit_entries_append_only BEFORE UPDATE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
    "postgresql": "CREATE TRIGGER audit_entries_append_only BEFORE UPDATE ON audit_entries "
    "FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()",
}
LIFT_UPDATE_GUARD = {
    "sqlite": "DROP TRIGGER IF EXISTS audit_entries_append_only",
    "postgresql": "DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries",
}

_REMOVED = "the audit trail is append-only: an entry is removed only at or below the latest checkpoint"  # noqa: E501
_CHECKPOINT = "an audit checkpoint names an entry of the trail, by position and hash, past the latest checkpoint"  # noqa: E501
_HEAD = "the audit trail's head only moves forward, to an entry of the trail"
_LATEST = "(SELECT COALESCE(MAX(position), 0) FROM audit_checkpoints)"
_ON_THE_CHAIN = (
    "EXISTS (SELECT 1 FROM audit_entries WHERE position = NEW.position"
    " AND entry_hash = NEW.entry_hash)"
)
_FORWARD = (
    f"NEW.id = OLD.id AND ((NEW.position > OLD.position AND {_ON_THE_CHAIN})"
    " OR (NEW.position = OLD.position AND NEW.entry_hash = OLD.entry_hash))"
)


def _sqlite_refusal(name: str, when: str, table: str, message: str, condition: str = "") -> str:
    where = f" WHEN {condition}" if condition else ""
    escaped = message.replace("'", "''")
    return (
        f"CREATE TRIGGER {name} BEFORE {when} ON {table}{where} "
        f"BEGIN SELECT RAISE(ABORT, '{escaped}'); END"
    )


def _plpgsql(name: str, body: str) -> str:
    return f"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN {body} END; $$ LANGUAGE plpgsql"


def _raise(message: str) -> str:
    return "RAISE EXCEPTION '{}';".format(message.replace("'", "''"))


GUARDS = {
    "sqlite": [
        UPDATE_GUARD["sqlite"],
        _sqlite_refusal("audit_entries_removed_past_checkpoint", "DELETE", "audit_entries",
                        _REMOVED, f"OLD.position > {_LATEST}"),
        _sqlite_refusal("audit_checkpoints_on_the_chain", "INSERT", "audit_checkpoints",
                        _CHECKPOINT, f"NOT {_ON_THE_CHAIN} OR NEW.position <= {_LATEST}"),
        _sqlite_refusal("audit_checkpoints_append_only", "UPDATE", "audit_checkpoints",
                        "the audit trail's checkpoints are append-only"),
        _sqlite_refusal("audit_checkpoints_kept", "DELETE", "audit_checkpoints",
                        "the audit trail's checkpoints are append-only"),
        _sqlite_refusal("audit_chain_head_forward", "UPDATE", "audit_chain_head", _HEAD,
                        f"NOT ({_FORWARD})"),
        _sqlite_refusal("audit_chain_head_kept", "DELETE", "audit_chain_head",
                        "the audit trail's head stays"),
    ],  # fmt: skip
    "postgresql": [
        UPDATE_GUARD["postgresql"],
        _plpgsql("audit_trail_refuses",
                 "RAISE EXCEPTION 'the audit trail is append-only (%)', TG_TABLE_NAME;"),
        _plpgsql("audit_entries_removed_past_checkpoint",
                 f"IF OLD.position <= {_LATEST} THEN RETURN OLD; END IF; {_raise(_REMOVED)}"),
        _plpgsql("audit_checkpoints_on_the_chain",
                 f"IF {_ON_THE_CHAIN} AND NEW.position > {_LATEST} THEN RETURN NEW; END IF;"
                 f" {_raise(_CHECKPOINT)}"),
        _plpgsql("audit_chain_head_forward",
                 f"IF {_FORWARD} THEN RETURN NEW; END IF; {_raise(_HEAD)}"),
        "CREATE TRIGGER audit_entries_removed_past_checkpoint BEFORE DELETE ON audit_entries"
        " FOR EACH ROW EXECUTE FUNCTION audit_entries_removed_past_checkpoint()",
        "CREATE TRIGGER audit_checkpoints_on_the_chain BEFORE INSERT ON audit_checkpoints"
        " FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_on_the_chain()",
        "CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON"
        " audit_checkpoints FOR EACH ROW EXECUTE FUNCTION audit_trail_refuses()",
        "CREATE TRIGGER audit_chain_head_forward BEFORE UPDATE ON audit_chain_head"
        " FOR EACH ROW EXECUTE FUNCTION audit_chain_head_forward()",
        "CREATE TRIGGER audit_chain_head_kept BEFORE DELETE ON audit_chain_head"
        " FOR EACH ROW EXECUTE FUNCTION audit_trail_refuses()",
        *(
            f"CREATE TRIGGER {table}_not_truncated BEFORE TRUNCATE ON {table}"
            " FOR EACH STATEMENT EXECUTE FUNCTION audit_trail_refuses()"
            for table in ("audit_entries", "audit_checkpoints", "audit_chain_head")
        ),
    ],  # fmt: skip
}
DROP_GUARDS = {
    "sqlite": [
        f"DROP TRIGGER IF EXISTS {name}"
        for name in ("audit_entries_append_only", "audit_entries_removed_past_checkpoint",
                     "audit_checkpoints_on_the_chain", "audit_checkpoints_append_only",
                     "audit_checkpoints_kept", "audit_chain_head_forward",
                     "audit_chain_head_kept")
    ],  # fmt: skip
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_entries_removed_past_checkpoint ON audit_entries",
        "DROP TRIGGER IF EXISTS audit_entries_not_truncated ON audit_entries",
        "DROP FUNCTION IF EXISTS audit_entries_removed_past_checkpoint()",
        # The tables' own triggers go with them; then their functions.
        "DROP TABLE IF EXISTS audit_checkpoints",
        "DROP TABLE IF EXISTS audit_chain_head",
        "DROP FUNCTION IF EXISTS audit_checkpoints_on_the_chain()",
        "DROP FUNCTION IF EXISTS audit_chain_head_forward()",
        "DROP FUNCTION IF EXISTS audit_trail_refuses()",
    ],
}

ENTRIES = sa.table(
    "audit_entries",
    sa.column("id", sa.Integer),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("actor", sa.String),
    sa.column("role", sa.String),
    sa.column("agency", sa.String),
    sa.column("action", sa.String),
    sa.column("case_id", sa.String),
    sa.column("step_id", sa.String),
    sa.column("detail", sa.JSON),
    sa.column("position", sa.BigInteger),
    sa.column("previous_hash", sa.String),
    sa.column("entry_hash", sa.String),
)


def upgrade() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    op.execute(LIFT_UPDATE_GUARD[dialect])
    with op.batch_alter_table("audit_entries") as batch:
        batch.add_column(sa.Column("position", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("previous_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("entry_hash", sa.String(length=64), nullable=True))
    position, last = _hash_in_order(bind)
    with op.batch_alter_table("audit_entries") as batch:
        batch.alter_column("position", existing_type=sa.BigInteger(), nullable=False)
        batch.alter_column("previous_hash", existing_type=sa.String(length=64), nullable=False)
        batch.alter_column("entry_hash", existing_type=sa.String(length=64), nullable=False)
        batch.create_index("ix_audit_entries_position", ["position"], unique=True)
    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_audit_chain_head_one_row"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute(
        sa.text("INSERT INTO audit_chain_head (id, position, entry_hash) VALUES (1, :p, :h)")
        .bindparams(p=position, h=last)
    )  # fmt: skip
    op.create_table(
        "audit_checkpoints",
        sa.Column("position", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.Column("entry_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("position"),
    )
    for statement in GUARDS[dialect]:
        op.execute(statement)


def _hash_in_order(bind: sa.Connection) -> tuple[int, str]:
    """Hash every entry, oldest first (by id), a chunk at a time; the last position and hash."""
    columns = [ENTRIES.c[name] for name in ("id", "at", "actor", "role", "agency", "action",
                                            "case_id", "step_id", "detail")]  # fmt: skip
    write = (
        sa.update(ENTRIES)
        .where(ENTRIES.c.id == sa.bindparam("entry_id"))
        .values(
            position=sa.bindparam("new_position"),
            previous_hash=sa.bindparam("new_previous"),
            entry_hash=sa.bindparam("new_hash"),
        )
    )
    after, position, previous = -1, 0, GENESIS
    while rows := bind.execute(
        sa.select(*columns).where(ENTRIES.c.id > after).order_by(ENTRIES.c.id).limit(CHUNK)
    ).all():
        changes: list[dict[str, Any]] = []
        for row in rows:
            position += 1
            content = dict(row._mapping)
            content["detail"] = open_detail(row.detail) if isinstance(row.detail, dict) else {}
            digest = entry_hash(previous, position, content)
            changes.append({"entry_id": row.id, "new_position": position,
                            "new_previous": previous, "new_hash": digest})  # fmt: skip
            previous = digest
        bind.execute(write, changes)
        after = rows[-1].id
    return position, previous


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in DROP_GUARDS[dialect]:
        op.execute(statement)
    if dialect == "sqlite":
        op.drop_table("audit_checkpoints")
        op.drop_table("audit_chain_head")
    with op.batch_alter_table("audit_entries") as batch:
        batch.drop_index("ix_audit_entries_position")
        batch.drop_column("entry_hash")
        batch.drop_column("previous_hash")
        batch.drop_column("position")
    if dialect == "sqlite":  # the table was made again without it
        op.execute(UPDATE_GUARD["sqlite"])

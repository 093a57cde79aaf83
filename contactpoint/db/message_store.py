"""The store's messages: written once per key, in the transaction of the change they are about."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from contactpoint.db.models import Message, new_id, now
from contactpoint.db.notification_store import queue_for_messages
from contactpoint.db.statements.tables import CASES, STEPS
from contactpoint.db.transactions import Transactions
from contactpoint.extensions import db
from workflows.messages import NewMessage

MESSAGES: sa.Table = Message.__table__

# The person, case and version of the step a message concerns (params: step_id).
_STEP_OF = (
    sa.select(CASES.c.person_id, STEPS.c.case_id, STEPS.c.version)
    .select_from(STEPS.join(CASES, CASES.c.id == STEPS.c.case_id))
    .where(STEPS.c.id == sa.bindparam("step_id"))
)


def insert_once(rows: list[dict[str, Any]]) -> None:
    """Insert message rows in the session's transaction; a key already written is skipped.
    Each message written gets its e-mail notification in the same transaction."""
    if not rows:
        return
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(MESSAGES).on_conflict_do_nothing(index_elements=["key"])
    db.session.execute(statement, rows)
    ids = [row["id"] for row in rows]  # fresh ids: those found are the messages just written
    written: Any = db.session.scalars(sa.select(MESSAGES.c.id).where(MESSAGES.c.id.in_(ids)))
    queue_for_messages(list(written))


class MessageStore(Transactions):
    """`Store.post_messages` over the contact point's database."""

    def post_messages(self, messages: list[NewMessage]) -> None:
        """Write the messages, once per key, in the caller's transaction (or one of their own)."""
        rows = [row for row in (self._row(message) for message in messages) if row is not None]
        insert_once(rows)
        self._commit()

    @staticmethod
    def _row(message: NewMessage) -> dict[str, Any] | None:
        """The message as a row; None when the step it concerns is gone."""
        person_id, case_id, key = message.person_id, message.case_id, message.key
        if message.step_id is not None and (person_id is None or message.per_step_change):
            found = db.session.execute(_STEP_OF, {"step_id": message.step_id}).one_or_none()
            if found is None:
                return None
            person_id, case_id = person_id or found.person_id, case_id or found.case_id
            if message.per_step_change:
                key = f"{key}:{found.version}"
        if person_id is None:
            raise ValueError(f"message {message.key!r} is for no one")
        moment = now()
        return {
            "id": new_id(),
            "key": key,
            "person_id": person_id,
            "kind": str(message.kind),
            "case_id": case_id,
            "step_id": message.step_id,
            "params": dict(message.params),
            "action": None if message.action is None else str(message.action),
            "action_life_event": message.action_life_event,
            "created_at": moment,
            "read_at": None,
            "dismissed_at": None,
            "updated_at": moment,
        }

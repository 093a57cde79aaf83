"""The proactive service's store over Kontaktpunkt's database (`workflows.proactive`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from contactpoint.db.message_store import MESSAGES, MessageStore
from contactpoint.db.models import (
    Case,
    ConsumedEvent,
    DeadlineWatch,
    Draft,
    Person,
    ProactiveCursor,
    new_id,
    now,
    utc,
)
from contactpoint.db.protection import number_keys
from contactpoint.db.statements.tables import PEOPLE, STEPS
from contactpoint.extensions import db
from workflows.message_types import NewMessage
from workflows.proactive import CaseSeen, DueWatch, Watch

CONSUMED: sa.Table = ConsumedEvent.__table__
WATCHES: sa.Table = DeadlineWatch.__table__
CURSORS: sa.Table = ProactiveCursor.__table__
# Which of some message keys are written (params: keys, a list).
WRITTEN = sa.select(MESSAGES.c.key).where(MESSAGES.c.key.in_(sa.bindparam("keys", expanding=True)))

# Unsettled watches due by a day, with where their step stands and whose they are (params:
# today, limit).
DUE = (
    sa.select(*WATCHES.c, STEPS.c.status.label("step_status"), PEOPLE.c.personal_number)
    .select_from(
        WATCHES.outerjoin(STEPS, STEPS.c.id == WATCHES.c.step_id).outerjoin(
            PEOPLE, PEOPLE.c.id == WATCHES.c.person_id
        )
    )
    .where(WATCHES.c.settled_at.is_(None), WATCHES.c.remind_on <= sa.bindparam("today"))
    .order_by(WATCHES.c.remind_on, WATCHES.c.id)
    .limit(sa.bindparam("limit"))
)


def _utc(moment: dt.datetime) -> dt.datetime:
    found = utc(moment)
    assert found is not None
    return found


def _dialect() -> object:
    return postgresql if db.engine.dialect.name == "postgresql" else sqlite


class ProactiveSqlStore(MessageStore):
    """`workflows.proactive.ProactiveStore` over the contact point's database."""

    def people_for(self, residents: Mapping[str, str]) -> dict[str, str]:
        """Personal number -> person id, a person added for each resident without one."""
        if not residents:
            return {}
        numbers = list(residents)
        found = self._ids(numbers)
        missing = [number for number in numbers if number not in found]
        if missing:
            moment = now()
            rows = [
                {
                    "id": new_id(),
                    "personal_number": number,
                    "name": residents[number],
                    "created_at": moment,
                }
                for number in missing
            ]
            insert = _dialect().insert(PEOPLE).on_conflict_do_nothing()  # type: ignore[attr-defined]
            written = db.session.execute(insert, rows).rowcount  # type: ignore[attr-defined]
            db.session.commit()
            if written == len(rows):  # every one ours: their ids are the ones just given
                found.update(
                    {number: str(row["id"]) for number, row in zip(missing, rows, strict=True)}
                )
            else:  # another pass gave some of them a mailbox meanwhile
                found.update(self._ids(missing))
        else:
            self._let_go()
        return found

    @staticmethod
    def _ids(numbers: list[str]) -> dict[str, str]:
        query = sa.select(Person.personal_number, Person.id)
        rows = db.session.execute(query.where(Person.personal_number.in_(numbers)))
        return {number: person_id for number, person_id in rows}

    def started(self, person_ids: list[str], life_event: str, since: dt.datetime) -> set[str]:
        """Of these people, those with a draft or a case of the life event begun since (by
        ix_cases_person_created and the drafts' unique person and life event)."""
        cases = sa.select(Case.person_id).where(
            Case.person_id.in_(person_ids),
            Case.life_event == life_event,
            Case.created_at >= since,
        )
        drafts = sa.select(Draft.person_id).where(
            Draft.person_id.in_(person_ids),
            Draft.life_event == life_event,
            Draft.updated_at >= since,
        )
        found = set(db.session.scalars(sa.union(cases, drafts)))
        self._let_go()
        return found

    def consume_event(self, event_id: str, kind: str, messages: list[NewMessage]) -> bool:
        """Mark the event consumed and write its messages, together; False if seen before."""
        insert = _dialect().insert(CONSUMED).on_conflict_do_nothing()  # type: ignore[attr-defined]
        with self.atomic():
            # The row inserted says whether it is ours: rowcount is -1 on PostgreSQL's driver.
            claimed = db.session.execute(
                insert.values(event_id=event_id, kind=kind, consumed_at=now()).returning(
                    CONSUMED.c.event_id
                )
            ).first()
            if claimed is None:
                return False
            self.post_messages(messages)
        return True

    @staticmethod
    def person_keys(numbers: list[str]) -> dict[str, str]:
        """A keyed digest of each personal identity number (`protection.number_keys`)."""
        return dict(zip(numbers, number_keys(numbers), strict=True))

    def unwritten(self, keys: list[str]) -> set[str]:
        """Of these message keys, those no message has yet (by the keys' unique index)."""
        written: Any = db.session.connection().execute(WRITTEN, {"keys": keys}).scalars()
        found = set(keys).difference(written)
        self._let_go()
        return found

    def unconsumed(self, event_ids: list[str]) -> list[str]:
        """Of these register events, those not acted on yet."""
        seen: set[str] = set(
            db.session.scalars(
                sa.select(CONSUMED.c.event_id).where(CONSUMED.c.event_id.in_(event_ids))
            )
        )
        self._let_go()
        return [event_id for event_id in event_ids if event_id not in seen]

    def watch_deadlines(self, watches: list[Watch]) -> None:
        """Remember the deadlines to remind of, in the caller's transaction."""
        if not watches:
            return
        rows = [
            {
                "id": new_id(),
                "rule": w.rule,
                "person_id": w.person_id,
                "case_id": w.case_id,
                "step_id": w.step_id,
                "deadline": w.deadline,
                "remind_on": w.remind_on,
                "settled_at": None,
            }
            for w in watches
        ]
        insert = _dialect().insert(WATCHES).on_conflict_do_nothing()  # type: ignore[attr-defined]
        db.session.execute(insert, rows)
        self._commit()

    def due_watches(self, today: dt.date, limit: int) -> list[DueWatch]:
        """Unsettled watches due by `today`, oldest first."""
        rows = db.session.execute(DUE, {"today": today, "limit": limit}).all()
        self._let_go()
        return [
            DueWatch(
                row.id,
                Watch(
                    row.rule, row.person_id, row.case_id, row.step_id, row.deadline, row.remind_on
                ),
                row.step_status,
                row.personal_number,
            )
            for row in rows
        ]

    def settle_watches(self, ids: list[str], messages: list[NewMessage]) -> None:
        """Write the reminders and settle the watches, together."""
        with self.atomic():
            self.post_messages(messages)
            db.session.execute(
                sa.update(WATCHES).where(WATCHES.c.id.in_(ids)).values(settled_at=now())
            )

    def cases_since(self, rule: str, life_events: list[str], limit: int) -> list[CaseSeen]:
        """Cases of these life events submitted after the rule's cursor, oldest first (by
        ix_cases_created_at), at most `limit` read."""
        cursor = db.session.get(ProactiveCursor, rule)
        query = sa.select(Case.id, Case.person_id, Case.life_event, Case.answers, Case.created_at)
        if cursor is not None:
            after = sa.tuple_(Case.created_at, Case.id) > sa.tuple_(
                sa.literal(cursor.through_at, sa.DateTime(timezone=True)),
                sa.literal(cursor.through_id),
            )
            query = query.where(Case.created_at >= cursor.through_at, after)
        query = query.where(Case.life_event.in_(life_events))
        query = query.order_by(Case.created_at, Case.id).limit(limit)
        rows = db.session.execute(query).all()
        self._let_go()
        return [
            CaseSeen(row.id, row.person_id, row.life_event, row.answers, _utc(row.created_at))
            for row in rows
        ]

    def suggest(self, rule: str, messages: list[NewMessage], through: CaseSeen) -> None:
        """Write the suggestions and move the rule's cursor past `through`, together."""
        with self.atomic():
            self.post_messages(messages)
            values = {"rule": rule, "through_at": through.created_at, "through_id": through.id}
            insert = _dialect().insert(CURSORS).values(values)  # type: ignore[attr-defined]
            db.session.execute(
                insert.on_conflict_do_update(
                    index_elements=["rule"],
                    set_={"through_at": through.created_at, "through_id": through.id},
                )
            )

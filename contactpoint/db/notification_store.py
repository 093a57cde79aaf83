"""Notifications in the database: written with their message, claimed, sent, marked.

A row is written in the transaction of its message (`queue_for_messages`), so a message
committed has its notification; the ids written wait in the session until the commit, then
go to the workers (`notifications.dispatch`). A worker claims a row (queued → sending, with a
lease), sends it, and marks it sent; recovery sends again what is queued and due, or whose
lease ran out with the worker that held it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from agencies import clock
from contactpoint.db.models import Contact, Message, Notification, new_id, utc
from contactpoint.extensions import db
from workflows.notifications import NotificationState, next_allowed, notified_kinds

NOTIFICATIONS: sa.Table = Notification.__table__
PENDING_KEY = "notifications_to_send"
QUEUED, SENDING = NotificationState.QUEUED, NotificationState.SENDING


@dataclass(frozen=True)
class Claimed:
    """A notification a worker holds: where it goes, in which language, for how many."""

    id: str
    email: str
    language: str
    messages: int


def usable_contact(person_id: str) -> Contact | None:
    """The person's address if it may be written to: verified and not refused."""
    contact = db.session.scalar(sa.select(Contact).where(Contact.person_id == person_id))
    if contact is None or contact.verified_at is None or contact.refused_at is not None:
        return None
    return contact


def queue_for_messages(message_ids: list[str]) -> None:
    """In the caller's transaction: a notification for each of these new messages whose
    person has a usable address and has not turned its kind off; folded into the person's
    notification still waiting, if there is one."""
    if not message_ids:
        return
    found = db.session.execute(
        sa.select(Message.id, Message.kind, Contact)
        .join(Contact, Contact.person_id == Message.person_id)
        .where(Message.id.in_(message_ids), Contact.verified_at.is_not(None))
        .where(Contact.refused_at.is_(None))
    ).all()
    for message_id, kind, contact in found:
        if kind not in notified_kinds(contact.muted_kinds or []):
            continue
        folded = db.session.execute(
            sa.update(Notification)
            .where(Notification.person_id == contact.person_id)
            .where(Notification.address_key == contact.address_key, Notification.state == QUEUED)
            .values(messages=Notification.messages + 1)
        )
        if folded.rowcount:  # type: ignore[attr-defined]
            continue
        row = _new_row(message_id, contact)
        dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
        insert = dialect.insert(NOTIFICATIONS).on_conflict_do_nothing(
            index_elements=["message_id", "address_key"]
        )
        db.session.execute(insert, [row])
        db.session.info.setdefault(PENDING_KEY, []).append(row["id"])


def _new_row(message_id: str, contact: Contact) -> dict[str, Any]:
    moment = clock.now()
    return {
        "id": new_id(),
        "message_id": message_id,
        "person_id": contact.person_id,
        "address_key": contact.address_key,
        "language": contact.language,
        "state": str(QUEUED),
        "messages": 1,
        "due_at": moment,
        "attempts": 0,
        "created_at": moment,
        "sent_at": None,
    }


def claim(notification_id: str, lease_s: float, per_hour: int) -> Claimed | None:
    """Take a notification to send: None if it is not due, another worker holds it, it was
    sent, or the person's limit for the hour is reached (it then waits, due when the hour
    allows, and new messages fold into it). A row whose address changed since is dropped."""
    moment = clock.now()
    try:
        # One claim per person at a time, and before anything is read (the row lock on
        # PostgreSQL, the write lock on SQLite): two workers never both see room for one
        # more in the hour, nor both take one notification.
        person = sa.select(Notification.person_id).where(Notification.id == notification_id)
        db.session.execute(
            sa.update(Contact)
            .where(Contact.person_id == person.scalar_subquery())
            .values(updated_at=Contact.updated_at)
        )
        row = db.session.get(Notification, notification_id, populate_existing=True)
        if row is None or not _takeable(row, moment):
            return None
        contact = usable_contact(row.person_id)
        if contact is None or contact.address_key != row.address_key:
            db.session.delete(row)  # the message stays in the mailbox; the address is gone
            db.session.commit()
            return None
        sent = db.session.execute(
            sa.select(Notification.sent_at).where(
                Notification.person_id == row.person_id,
                Notification.id != row.id,
                sa.or_(
                    Notification.sent_at > moment - dt.timedelta(hours=1),
                    Notification.state == SENDING,  # as good as sent, for the hour's count
                ),
            )
        ).all()
        # One being sent counts as sent now.
        times = [utc(at) or moment for (at,) in sent]
        later = next_allowed(times, per_hour, moment)
        if later is not None:
            row.state, row.due_at = str(QUEUED), later
            db.session.commit()
            return None
        row.state, row.due_at = str(SENDING), moment + dt.timedelta(seconds=lease_s)
        row.attempts += 1
        claimed = Claimed(row.id, contact.email, row.language, row.messages)
        db.session.commit()
        return claimed
    finally:
        db.session.rollback()  # ends a read that changed nothing; nothing after a commit


def _takeable(row: Notification, moment: dt.datetime) -> bool:
    due = utc(row.due_at)
    return row.state in (QUEUED, SENDING) and due is not None and due <= moment


def mark_sent(notification_id: str) -> None:
    """The mail server took it."""
    _finish(notification_id, NotificationState.SENT)


def mark_refused(notification_id: str) -> None:
    """The mail server refused the address: the notification and the address are marked."""
    row = _finish(notification_id, NotificationState.REFUSED)
    if row is not None:
        db.session.execute(
            sa.update(Contact)
            .where(Contact.person_id == row[0], Contact.address_key == row[1])
            .values(refused_at=clock.now(), updated_at=clock.now())
        )
        db.session.commit()


def _finish(notification_id: str, state: NotificationState) -> Any:
    moment = clock.now()
    done = db.session.execute(
        sa.update(Notification)
        .where(Notification.id == notification_id, Notification.state == SENDING)
        .values(state=str(state), sent_at=moment if state == NotificationState.SENT else None)
        .returning(Notification.person_id, Notification.address_key)
    ).first()
    db.session.commit()
    return done


def put_off(notification_id: str, delay_s: float, attempts: int) -> bool:
    """It could not be sent now (the server did not answer, or said try later): queued again
    after `delay_s`, doubled for each attempt before (up to an hour), unless it has had
    `attempts` already; then given up (False). The message stays in the mailbox either way."""
    row = db.session.get(Notification, notification_id, populate_existing=True)
    if row is None or row.state != SENDING:
        db.session.rollback()
        return True
    if row.attempts >= attempts:
        row.state = str(NotificationState.FAILED)
    else:
        wait = min(delay_s * 2 ** max(row.attempts - 1, 0), 3600.0)
        row.state, row.due_at = str(QUEUED), clock.now() + dt.timedelta(seconds=wait)
    db.session.commit()
    return row.state != NotificationState.FAILED


def mark_failed(notification_id: str) -> None:
    """The mail server refused the message for good: not tried again."""
    _finish(notification_id, NotificationState.FAILED)


def due(limit: int = 500) -> list[str]:
    """Notifications to send again: queued and due, and those whose worker's lease ran out,
    taken back (queued, due since they were written)."""
    moment = clock.now()
    try:
        db.session.execute(
            sa.update(Notification)
            .where(Notification.state == SENDING, Notification.due_at <= moment)
            .values(state=str(QUEUED), due_at=Notification.created_at)
        )
        db.session.commit()
        return list(
            db.session.scalars(
                sa.select(Notification.id)
                .where(Notification.state == QUEUED, Notification.due_at <= moment)
                .order_by(Notification.due_at)
                .limit(limit)
            )
        )
    finally:
        db.session.rollback()

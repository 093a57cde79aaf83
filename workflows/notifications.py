"""When a new message becomes an e-mail notification, and when that e-mail may go.

A notification says only that there is a new message, with a link to sign in: never its
content, a personal identity number, a name or a case's details. It is written with the
message, in the same transaction, one per message and address; a worker claims it, sends it,
and marks it sent. Too many in an hour and the rest are folded: the notification not yet
sent stands for every new message after it, and goes when the hour allows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from .messages import MessageKind


class NotificationState(StrEnum):
    """Where a notification is: waiting, claimed by a worker, sent, refused by the server
    (the address), or given up (the server refused the message, or never took it)."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    REFUSED = "refused"
    FAILED = "failed"


# Every kind of message may be notified of; a person turns off the kinds they do not want.
NOTIFYING_KINDS: tuple[MessageKind, ...] = tuple(MessageKind)
WINDOW = dt.timedelta(hours=1)


def notified_kinds(muted: Iterable[str]) -> list[str]:
    """The kinds of message a person with these kinds turned off is notified of."""
    off = set(muted)
    return [str(kind) for kind in NOTIFYING_KINDS if str(kind) not in off]


def next_allowed(sent: list[dt.datetime], per_hour: int, moment: dt.datetime) -> dt.datetime | None:
    """When the next notification may go, given those sent to the person in the last hour
    (`sent`); None: now. 0 per hour is no limit."""
    recent = sorted(at for at in sent if at > moment - WINDOW)
    if per_hour <= 0 or len(recent) < per_hour:
        return None
    return recent[len(recent) - per_hour] + WINDOW

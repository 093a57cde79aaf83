"""How long the contact point keeps what it holds, and the pass that removes what has expired.

The contact point coordinates: each agency keeps the record of its own part of a case under
the archive rules that bind that agency. What the contact point holds is its copy for
coordinating the steps and for the citizen's overview, and personal data is kept no longer
than that purpose needs. So:

- a case is kept for `closed_case_days` after it closed, then removed with its steps, its
  timeline, its entries in the data-sharing log and the agencies' callbacks on its steps.
  A case that is open, or has a step still under way or a withdrawal still to tell, is never
  removed, however old. Feedback on a removed case stays, without the link to it;
- an application never sent (a draft) is kept for `draft_days` after its last change;
- a register read that never became part of a case is kept as long as a closed case;
- the audit trail of officers' access is kept for `audit_days`, apart from the cases it
  names, so that access to a case can be accounted for after the case is gone;
- a message in a person's mailbox goes with the case it concerns; one that concerns no case
  is kept for `message_days` after it was written.

A person's own row (their number, sealed, and their name) stays: it is their account.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger(__name__)

# What a pass removes, in the order it removes them.
KINDS = ("cases", "drafts", "register_reads", "audit", "messages")
CHUNK = 500


@dataclass(frozen=True)
class Retention:
    """The retention periods, in days (each at least 1)."""

    closed_case_days: int = 365
    draft_days: int = 30
    audit_days: int = 1825
    message_days: int = 365

    def __post_init__(self) -> None:
        for name in ("closed_case_days", "draft_days", "audit_days", "message_days"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1 day")

    def cutoffs(self, moment: dt.datetime) -> dict[str, dt.datetime]:
        """For each kind, the instant before which an item of it has expired at `moment`."""
        days = {
            "cases": self.closed_case_days,
            "drafts": self.draft_days,
            "register_reads": self.closed_case_days,
            "audit": self.audit_days,
            "messages": self.message_days,
        }
        return {kind: moment - dt.timedelta(days=days[kind]) for kind in KINDS}

    def case_kept_until(self, closed_at: dt.datetime | None) -> dt.datetime | None:
        """When a case closed at `closed_at` is removed; None while it is open."""
        if closed_at is None:
            return None
        return closed_at + dt.timedelta(days=self.closed_case_days)


class RetentionStore(Protocol):
    """Removing what has expired; each call is its own transaction."""

    def remove_expired(self, kind: str, before: dt.datetime, limit: int) -> int:
        """Remove up to `limit` items of `kind` that expired before `before`; how many went.

        For cases, the check that a case may go (closed before `before`, nothing under way,
        no withdrawal to tell) is made again under the lock that removes it, so a case
        reopened meanwhile stays.
        """

    def count_expired(self, kind: str, before: dt.datetime) -> int:
        """How many items of `kind` a pass would remove now."""


def purge(
    store: RetentionStore, retention: Retention, moment: dt.datetime, chunk: int = CHUNK
) -> dict[str, int]:
    """One pass: remove every expired item, `chunk` at a time; how many of each kind went.

    Each chunk commits by itself, so a pass holds no lock for long, and a pass stopped half
    way leaves a consistent state that the next pass carries on from.
    """
    removed: dict[str, int] = {}
    for kind, before in retention.cutoffs(moment).items():
        total = 0
        while True:
            gone = store.remove_expired(kind, before, chunk)
            total += gone
            if gone < chunk:
                break
        removed[kind] = total
    if any(removed.values()):
        log.info("retention: removed %s", removed)
    return removed


def expiring(store: RetentionStore, retention: Retention, moment: dt.datetime) -> dict[str, int]:
    """What a pass would remove now, by kind (for a dry run)."""
    return {
        kind: store.count_expired(kind, before)
        for kind, before in retention.cutoffs(moment).items()
    }

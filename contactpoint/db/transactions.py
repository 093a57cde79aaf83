"""One transaction per store call, or one for a whole `atomic()` block of them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from contactpoint.db.statements.events import forget_events, write_events
from contactpoint.db.statements.read_in_passing import read_in_passing
from contactpoint.extensions import db


class Transactions:
    """One transaction per store call, or one for a whole `atomic()` block.

    A block marks the session while it lasts: "atomic" in `session.info`, and "locked_case"
    once a step's change in it has locked its case (`_transition_settling`); what
    it gathers waits there too (`statements.events`).
    """

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """The store calls inside the block commit together at its end, or not at all."""
        info = db.session.info
        if info.get("atomic"):  # already inside a block: part of that transaction
            yield
            return
        info["atomic"] = True
        try:
            yield
            write_events()
            db.session.commit()
        except BaseException:
            forget_events()
            db.session.rollback()
            raise
        finally:
            info.pop("atomic", None)
            info.pop("locked_case", None)
            read_in_passing().forget()

    @staticmethod
    def _commit() -> None:
        """End this call's transaction, unless it is part of an `atomic()` block."""
        if not db.session.info.get("atomic"):
            db.session.commit()

    @staticmethod
    def _let_go() -> None:
        """End a call that read or changed nothing, unless it is part of an `atomic()` block."""
        if not db.session.info.get("atomic"):
            db.session.rollback()

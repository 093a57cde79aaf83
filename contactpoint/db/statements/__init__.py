"""The workflow's hot path as prebuilt statements, one module per responsibility.

Every step of every case runs these. Building a SQLAlchemy statement and working out its cache
key costs more than SQLite takes to run it, so each is built once, with bound parameters, and
run on the session's connection, in the session's transaction.

- `tables`: the tables, and the conditions the statements share;
- `steps`, `cases`, `people`: the statements of each aggregate;
- `connections`: running them, in the session's transaction or alone in autocommit;
- `read_in_passing`: a case's state that a statement read in passing, for the next read;
- `events`: the event buffer, a case's timeline lines gathered in an atomic block;
- `json_inserts`: inserts of many rows as one JSON parameter.

The names that code outside `contactpoint.db` uses are importable from here. Inside it, each
comes from its own module, and the modules here never import through this one.
"""

from contactpoint.db.statements.cases import CLOSE_CASE, LOCK_CASE, closing
from contactpoint.db.statements.connections import outside_transactions, run, run_alone, run_many
from contactpoint.db.statements.events import add_event
from contactpoint.db.statements.people import ATTACH_READS, NEW_SHARES, PERSON
from contactpoint.db.statements.steps import CLAIM, begin_step, transition, transition_settling
from contactpoint.db.statements.tables import STEPS, among

__all__ = [
    "ATTACH_READS",
    "CLAIM",
    "CLOSE_CASE",
    "LOCK_CASE",
    "NEW_SHARES",
    "PERSON",
    "STEPS",
    "add_event",
    "among",
    "begin_step",
    "closing",
    "outside_transactions",
    "run",
    "run_alone",
    "run_many",
    "transition",
    "transition_settling",
]

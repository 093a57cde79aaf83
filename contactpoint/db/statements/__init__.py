"""The workflow's hot path as prebuilt statements, and the means to run them."""

from contactpoint.db.statements.cases import (
    CASE_STATE,
    CASES_IN_PROGRESS,
    CLOSE_CASE,
    LOCK_CASE,
    STATUS_VERSION,
    closing,
)
from contactpoint.db.statements.connections import (
    locks_rows,
    outside_transactions,
    run,
    run_alone,
    run_many,
)
from contactpoint.db.statements.events import (
    EVENT,
    add_event,
    forget_events,
    gather_share,
    gathered,
    write_events,
)
from contactpoint.db.statements.json_inserts import (
    as_json,
    insert_from_json,
    lines_json,
)
from contactpoint.db.statements.people import (
    ATTACH_READS,
    NEW_SHARES,
    PERSON,
)
from contactpoint.db.statements.steps import (
    CLAIM,
    begin_step,
    transition,
    transition_settling,
)
from contactpoint.db.statements.tables import (
    CASES,
    DRAFTS,
    EVENTS,
    OPEN_CASE,
    SHARES,
    STEPS,
    UNDER_WAY,
    among,
    checked,
    in_open_case,
    waits_for_a_step_under_way,
)

__all__ = [
    "ATTACH_READS",
    "CASES",
    "CASES_IN_PROGRESS",
    "CASE_STATE",
    "CLAIM",
    "CLOSE_CASE",
    "DRAFTS",
    "EVENT",
    "EVENTS",
    "LOCK_CASE",
    "NEW_SHARES",
    "OPEN_CASE",
    "PERSON",
    "SHARES",
    "STATUS_VERSION",
    "STEPS",
    "UNDER_WAY",
    "add_event",
    "among",
    "as_json",
    "begin_step",
    "checked",
    "closing",
    "forget_events",
    "gather_share",
    "gathered",
    "in_open_case",
    "insert_from_json",
    "lines_json",
    "locks_rows",
    "outside_transactions",
    "run",
    "run_alone",
    "run_many",
    "transition",
    "transition_settling",
    "waits_for_a_step_under_way",
    "write_events",
]

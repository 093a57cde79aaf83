"""Proactive service: reminders, offers and suggestions from what the registers and earlier
cases say, declared as rules beside the life events (`definitions/proactive/`).

The Celery tasks are in `workflows.proactive.tasks` (import it where they are wanted)."""

from .offers import Watch, case_suggestions, deadline_watches, event_facts, proposed_answers
from .rules import Rule, load_rules, rules
from .service import (
    CaseSeen,
    DueWatch,
    Proactive,
    ProactiveStore,
    configure,
    consume,
    current,
    run_pass,
)

__all__ = [
    "CaseSeen",
    "DueWatch",
    "Proactive",
    "ProactiveStore",
    "Rule",
    "Watch",
    "case_suggestions",
    "configure",
    "consume",
    "current",
    "deadline_watches",
    "event_facts",
    "load_rules",
    "proposed_answers",
    "rules",
    "run_pass",
]

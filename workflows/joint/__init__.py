"""One event, one case: a death or a birth reported by one person with the right relation is
not sent again by the next; their case joins the first and adds only what is theirs.

Who reported first is never said beyond the relation: "another estate member", "the other
guardian".
"""

from __future__ import annotations

from collections.abc import Collection

from ..rules import StepPlan

# The relations whose cases are about one event of someone else's life: a birth, a death.
JOINED_RELATIONS = ("guardian", "estate_member")
# The reporter of the first case, as the next person with the same relation reads of them.
REPORTED_BY = {
    "estate_member": {"sv": "en annan dödsbodelägare", "en": "another estate member"},
    "guardian": {"sv": "den andra vårdnadshavaren", "en": "the other guardian"},
}
# A person's own case of the same life event sent this long ago or less is a likely repeat.
RECENT_HOURS = 24


def reported_by(relation: str, language: str) -> str:
    """Who reported first, in the relation's words only."""
    words = REPORTED_BY.get(relation) or {"sv": "någon annan", "en": "someone else"}
    return words.get(language) or words["sv"]


def own_plans(plans: list[StepPlan], reported: Collection[str]) -> list[StepPlan]:
    """The steps left to this person when the first case already has the `reported` ones."""
    return [plan for plan in plans if plan.id not in reported]

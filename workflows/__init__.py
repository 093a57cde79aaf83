"""Life events declared as data, the rules that read them, and the Celery workflows they drive.

Nothing here imports Flask or `contactpoint`; state is reached through `workflows.store.Store`.
What the web layer uses most is importable from the package itself; the Celery tasks are not
(import `workflows.tasks` where they are wanted). The agencies' catalogue is handed on here, so
that the web layer reaches `agencies` only through `workflows`.
"""

from agencies.catalogue import AGENCIES

from . import engine, runtime
from .declarations import PERSON_FIELDS, DefinitionError, LifeEvent, Question, Step
from .engine import DecisionError
from .lifeevents import catalogue
from .prefill import plan_case, sources_for
from .rules import StepPlan, applicable_questions, check_answers, clean_answer, plan_steps
from .statuses import (
    CLOSED_CASE_STATUSES,
    DEPENDENCY_FAILED,
    FINISHED_STATUSES,
    OPEN_CASE_STATUSES,
    TERMINAL_STEP_STATUSES,
    UNDER_WAY_STEP_STATUSES,
    WITHDRAWN,
    Ball,
    CaseStatus,
    StepReason,
    StepStatus,
)
from .store import CaseState, Decision, StepState

__all__ = [
    "AGENCIES",
    "CLOSED_CASE_STATUSES",
    "DEPENDENCY_FAILED",
    "FINISHED_STATUSES",
    "OPEN_CASE_STATUSES",
    "PERSON_FIELDS",
    "TERMINAL_STEP_STATUSES",
    "UNDER_WAY_STEP_STATUSES",
    "WITHDRAWN",
    "Ball",
    "CaseState",
    "CaseStatus",
    "Decision",
    "DecisionError",
    "DefinitionError",
    "LifeEvent",
    "Question",
    "Step",
    "StepPlan",
    "StepReason",
    "StepState",
    "StepStatus",
    "applicable_questions",
    "catalogue",
    "check_answers",
    "clean_answer",
    "engine",
    "plan_case",
    "plan_steps",
    "runtime",
    "sources_for",
]

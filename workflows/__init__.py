"""Life events declared as data, the rules that read them, and the Celery workflows they drive.

Nothing here imports Flask or `contactpoint`; state is reached through `workflows.store.Store`.
What the web layer uses most is importable from the package itself; the Celery tasks are not
(import `workflows.tasks` where they are wanted). The agencies' catalogue is handed on here, so
that the web layer reaches `agencies` only through `workflows`; so are the base registers'.
"""

from agencies.catalogue import AGENCIES
from agencies.registers.catalogue import REGISTERS

from . import engine, runtime
from .address import PARTS as ADDRESS_PARTS
from .address import Address, display_address
from .behalf import (
    acting_as,
    company_standing,
    may_act,
    register_key,
    represented,
    represented_name,
)
from .confirmations import ROLES as CONFIRMATION_ROLES
from .corrections import declared_step
from .deadlines import deadline_date, fill_deadline
from .declarations import PERSON_FIELDS, DefinitionError, LifeEvent, Question, Step
from .engine import DecisionError
from .field_texts import field_text
from .lifeevents import catalogue
from .messages import MessageAction, MessageKind, NewMessage, deadline_reminders
from .numbers import NOT_A_NUMBER
from .prefill import (
    consent_digest,
    consent_record,
    correction_step,
    dispute,
    plan_case,
    sources_for,
)
from .rules import (
    FUTURE,
    NOT_A_DATE,
    NOT_ALONE,
    PAST,
    TOO_LONG,
    WRONG_CHECK_DIGIT,
    WRONG_LENGTH,
    StepPlan,
    applicable_pages,
    applicable_questions,
    check_answers,
    clean_answer,
    field_values,
    identity_number_problem,
    is_blank,
    plan_steps,
    validate_answers,
)
from .statuses import (
    BLOCKING_STATUSES,
    CLOSED_CASE_STATUSES,
    DEPENDENCY_FAILED,
    FINISHED_STATUSES,
    NO_LONGER_APPLIES,
    OPEN_CASE_STATUSES,
    TERMINAL_STEP_STATUSES,
    UNDER_WAY_STEP_STATUSES,
    WITHDRAWN,
    Ball,
    CaseStatus,
    StepReason,
    StepStatus,
    waits_for_retry,
)
from .store import CaseState, Decision, StepState

__all__ = [
    "ADDRESS_PARTS",
    "AGENCIES",
    "BLOCKING_STATUSES",
    "CLOSED_CASE_STATUSES",
    "CONFIRMATION_ROLES",
    "DEPENDENCY_FAILED",
    "FINISHED_STATUSES",
    "FUTURE",
    "NOT_ALONE",
    "NO_LONGER_APPLIES",
    "NOT_A_DATE",
    "NOT_A_NUMBER",
    "OPEN_CASE_STATUSES",
    "PAST",
    "TOO_LONG",
    "WRONG_CHECK_DIGIT",
    "WRONG_LENGTH",
    "PERSON_FIELDS",
    "REGISTERS",
    "TERMINAL_STEP_STATUSES",
    "UNDER_WAY_STEP_STATUSES",
    "WITHDRAWN",
    "Address",
    "Ball",
    "CaseState",
    "CaseStatus",
    "Decision",
    "DecisionError",
    "DefinitionError",
    "LifeEvent",
    "Question",
    "MessageAction",
    "MessageKind",
    "NewMessage",
    "Step",
    "StepPlan",
    "StepReason",
    "StepState",
    "StepStatus",
    "acting_as",
    "company_standing",
    "applicable_pages",
    "applicable_questions",
    "catalogue",
    "check_answers",
    "clean_answer",
    "consent_digest",
    "consent_record",
    "correction_step",
    "deadline_date",
    "deadline_reminders",
    "declared_step",
    "display_address",
    "dispute",
    "engine",
    "field_text",
    "field_values",
    "fill_deadline",
    "identity_number_problem",
    "is_blank",
    "may_act",
    "register_key",
    "plan_case",
    "plan_steps",
    "represented",
    "represented_name",
    "runtime",
    "sources_for",
    "validate_answers",
    "waits_for_retry",
]

"""The one interface every agency adapter implements."""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import Any, Literal


class AgencyError(Exception):
    """An agency could not take the submission."""


class TransientError(AgencyError):
    """The agency may take the same submission later: retry with the same idempotency key."""


class AgencyTimeout(TransientError):
    """The agency did not answer in time; it may or may not have received the submission."""


class PermanentError(AgencyError):
    """The agency refused the submission; retrying the same submission will not help."""


@dataclass(frozen=True)
class SubmissionRequest:
    """One step's submission: only the fields the step declares, and a stable idempotency key."""

    agency: str
    idempotency_key: str
    case_id: str
    step_id: str
    step: str
    life_event: str
    fields: dict[str, Any]
    on_behalf_of: str | None = None
    # For a company: its organisation number, who acted (`acted_by`) and on what `basis`.
    acting: dict[str, str] | None = None
    manual: bool = False
    complement: str | None = None
    # `correction`: changed facts of a step the agency received before (`step` names it);
    # `fields` are the changed ones only.
    kind: Literal["submission", "correction"] = "submission"


@dataclass(frozen=True)
class Receipt:
    """The agency's answer: done with a reference, waiting for a person or a later answer, or
    a complement: the agency needs the citizen to answer `question` first."""

    status: Literal["done", "waiting", "complement"]
    reference: str
    outputs: dict[str, Any] = field(default_factory=dict)
    message: str = ""
    question: str = ""


@dataclass(frozen=True)
class WithdrawalRequest:
    """The citizen withdrew the case: the agency should drop what it received for this step."""

    agency: str
    idempotency_key: str
    case_id: str
    step_id: str
    step: str
    life_event: str
    reference: str | None = None


class AgencyAdapter(abc.ABC):
    """Carries a submission to one agency's system."""

    def __init__(self, agency: str) -> None:
        self.agency = agency

    @abc.abstractmethod
    def submit(self, request: SubmissionRequest) -> Receipt:
        """Send the submission; the same idempotency key twice gives the same receipt."""

    def withdraw(self, request: WithdrawalRequest) -> None:
        """Tell the agency the case was withdrawn; the same key twice is one withdrawal."""
        raise PermanentError(f"{self.agency} takes no withdrawals through this adapter")

"""Corrections after sending: a citizen changes answers of a sent case, and each agency that
received a changed fact hears of it, with the changed facts only.

`plan` works out what a change means (with the same evaluator as the first submission);
`keys` names a correction's own step; `apply` carries the plan out through the `Store`
(import it as `workflows.corrections.apply`: the engine, which it drives, reads `keys`).
"""

from .keys import CORRECTION_MARK, corrected_key, correction_key, correction_of, declared_step
from .plan import CorrectionPlan, SentStep, StepCorrection, plan_correction

__all__ = [
    "CORRECTION_MARK",
    "CorrectionPlan",
    "SentStep",
    "StepCorrection",
    "corrected_key",
    "correction_key",
    "correction_of",
    "declared_step",
    "plan_correction",
]

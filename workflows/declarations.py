"""What a life event declares: the frozen dataclasses a definition file is loaded into, the
vocabulary it may use, and the error a wrong definition raises.

Loading lives in `lifeevents`, parsing in `definition_parser`; both build on this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .behalf import Representation
from .deadlines import Deadline
from .rights.declared import Appeal, LegalBasis

LANGUAGES = ("sv", "en")
QUESTION_TYPES = (
    "text",
    "yes_no",
    "one_of",
    "several_of",
    "date",
    "number",
    "personal_number",
    "organisation_number",
    "address",
    # One of Sweden's 290 municipalities; the answer is its SCB code ("0380").
    "municipality",
    # People the population register lists for the citizen (`people_from`): one, or several.
    "one_person",
    "several_people",
)
# Facts about the person every step may ask for, besides the answers.
PERSON_FIELDS = ("personal_number", "name")
OPERATORS = ("equals", "in", "contains", "gte", "lte", "includes")

Text = Mapping[str, str]


class DefinitionError(ValueError):
    """A definition file is wrong; the message names the file, the life event and the place."""


@dataclass(frozen=True)
class Condition:
    """A rule over the answers: a comparison, or all/any/not of other conditions."""

    kind: Literal["compare", "all", "any", "not"]
    answer: str = ""
    operator: str = ""
    value: Any = None
    children: tuple[Condition, ...] = ()

    def answers_used(self) -> set[str]:
        """The questions this condition reads."""
        used = {self.answer} if self.kind == "compare" else set()
        for child in self.children:
            used |= child.answers_used()
        return used

    def as_dict(self) -> dict[str, Any]:
        """The condition as written in the definition (for the open API)."""
        if self.kind == "compare":
            return {"answer": self.answer, self.operator: self.value}
        if self.kind == "not":
            return {"not": self.children[0].as_dict()}
        return {self.kind: [child.as_dict() for child in self.children]}


@dataclass(frozen=True)
class Option:
    """One choice of a `one_of` or `several_of` question."""

    value: str
    text: Text
    # Chosen alone: "None of these" cannot be ticked with the other options.
    exclusive: bool = False


@dataclass(frozen=True)
class DateWindow:
    """The dates a date question accepts, counted from today, and the rule behind them in
    plain words (shown when a date outside is refused)."""

    reason: Text
    days_before: int | None = None
    days_after: int | None = None

    def bounds(self, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
        """The earliest and the latest date accepted today (None: no bound)."""
        low = today - dt.timedelta(days=self.days_before) if self.days_before is not None else None
        high = today + dt.timedelta(days=self.days_after) if self.days_after is not None else None
        return low, high


@dataclass(frozen=True)
class Question:
    """A question the citizen may be asked, with its type and when it applies."""

    id: str
    type: str
    text: Text
    hint: Text | None = None
    group: str | None = None
    when: Condition | None = None
    # Left out of the repr: a municipality question has 290.
    options: tuple[Option, ...] = field(default=(), repr=False)
    pattern: str | None = None
    # What is wrong, and how to put it right, when an answer does not match `pattern`.
    pattern_error: Text | None = None
    minimum: float | None = None
    maximum: float | None = None
    max_length: int = 200
    # A date question's answer must be in the `past` or the `future` (today counts as both).
    date_range: Literal["past", "future"] | None = None
    # The dates a date question accepts around today, and why.
    window: DateWindow | None = None
    # `register.fact` that answers this question when the register holds it (once only).
    prefill: str | None = None
    # `prefill` reads the fact about the person the citizen acts for (the deceased, the
    # child): the life event's `on_behalf_of` question.
    prefill_of: str | None = None
    # An earlier case's answer to this question is offered again (never silently reused).
    reuse: bool = False
    # `register.fact` listing the people a `one_person` or `several_people` question offers,
    # and what the page says when the register lists nobody.
    people_from: str | None = None
    nobody_listed: Text | None = None


@dataclass(frozen=True)
class Step:
    """One agency's part of the life event: the fields it needs and what it waits for."""

    id: str
    agency: str
    title: Text
    reason: Text
    fields: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()
    when: Condition | None = None
    action: Literal["submit", "inform"] = "submit"
    handling: Literal["automatic", "manual"] = "automatic"
    produces: tuple[str, ...] = ()
    next_step: Text | None = None
    deadline: Deadline | None = None
    service_days: int | None = None
    # A role (`workflows.confirmations.ROLES`) whose person must confirm before it is sent.
    confirmed_by: str | None = None
    # On what basis its fields go to its agency; None for a step that sends nothing.
    legal_basis: LegalBasis | None = None
    # How a decision against the person is appealed (a step an officer decides).
    appeal: Appeal | None = None
    # An `inform` step whose agency learns it from this base register by itself.
    told_by: str | None = None
    # For `agency: kommun`: the municipality question whose answer (a code) says which
    # municipality receives the step, or a fixed code.
    municipality: str | None = None


@dataclass(frozen=True)
class LifeEvent:
    """A declared life event: its texts, questions and steps."""

    id: str
    title: Text
    description: Text
    questions: tuple[Question, ...]
    steps: tuple[Step, ...]
    example_person: str
    example_answers: Mapping[str, Any]
    source: str = ""
    on_behalf_of: Representation | None = None
    order: int = 100
    # The title of each page that asks a `group` of questions together, by the group's id.
    page_titles: Mapping[str, Text] = field(default_factory=dict)
    # A role whose person must confirm the whole case before any of it is sent (a second
    # signatory where two sign jointly); one confirmation for every step it sends.
    confirmed_by: str | None = None

    def question(self, question_id: str) -> Question:
        """The question with this id."""
        return next(q for q in self.questions if q.id == question_id)

    def page_title(self, page: str) -> Text | None:
        """The title of a page of several questions; None for a page of one question."""
        return self.page_titles.get(page)

    def step(self, step_id: str) -> Step:
        """The step with this id."""
        return next(s for s in self.steps if s.id == step_id)

"""Life-event definitions: YAML files loaded into frozen dataclasses and checked at load."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from .behalf import Representation
from .deadlines import Deadline

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
)
# Facts about the person every step may ask for, besides the answers.
PERSON_FIELDS = ("personal_number", "name")
OPERATORS = ("equals", "in", "contains", "gte", "lte")
DEFINITIONS_DIR = Path(__file__).parent / "definitions"

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


@dataclass(frozen=True)
class Question:
    """A question the citizen may be asked, with its type and when it applies."""

    id: str
    type: str
    text: Text
    hint: Text | None = None
    group: str | None = None
    when: Condition | None = None
    options: tuple[Option, ...] = ()
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    max_length: int = 200
    # A date question's answer must be in the `past` or the `future` (today counts as both).
    date_range: Literal["past", "future"] | None = None
    # `register.fact` that answers this question when the register holds it (once only).
    prefill: str | None = None
    # An earlier case's answer to this question is offered again (never silently reused).
    reuse: bool = False


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

    def question(self, question_id: str) -> Question:
        """The question with this id."""
        return next(q for q in self.questions if q.id == question_id)

    def step(self, step_id: str) -> Step:
        """The step with this id."""
        return next(s for s in self.steps if s.id == step_id)


def load_definition(
    path: Path, agencies: set[str], relations: tuple[str, ...] | None = None
) -> LifeEvent:
    """Load and check one definition file."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise DefinitionError(f"{path.name}: not valid YAML: {error}") from error
    if not isinstance(raw, dict) or "id" not in raw:
        raise DefinitionError(f"{path.name}: a definition is a mapping with an 'id'")
    if relations is None:
        from agencies.population import RELATION_KINDS

        relations = RELATION_KINDS
    from .definition_parser import DefinitionParser

    return DefinitionParser(path.name, str(raw["id"]), agencies, relations).life_event(raw)


def load_all(
    directory: Path = DEFINITIONS_DIR, agencies: set[str] | None = None
) -> dict[str, LifeEvent]:
    """Load every definition in a folder, keyed by id; refuse two with the same id."""
    if agencies is None:
        from agencies.catalogue import AGENCIES

        agencies = set(AGENCIES)
    events: dict[str, LifeEvent] = {}
    for path in sorted(directory.glob("*.yaml")):
        event = load_definition(path, agencies)
        if event.id in events:
            raise DefinitionError(f"{path.name}: life event {event.id!r} is defined twice")
        events[event.id] = event
    return dict(sorted(events.items(), key=lambda item: (item[1].order, item[0])))


@functools.cache
def catalogue() -> dict[str, LifeEvent]:
    """The shipped life events, loaded once per process."""
    return load_all()

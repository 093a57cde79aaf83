"""Life-event definitions: YAML files loaded into frozen dataclasses and checked at load.

The dataclasses and the vocabulary live in `declarations`; they are re-exported here, where
callers have always found them.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

from agencies.catalogue import AGENCIES
from agencies.population import RELATION_KINDS

from .declarations import (
    LANGUAGES,
    OPERATORS,
    PERSON_FIELDS,
    QUESTION_TYPES,
    Condition,
    DefinitionError,
    LifeEvent,
    Option,
    Question,
    Step,
    Text,
)
from .definition_parser import DefinitionParser

__all__ = [
    "DEFINITIONS_DIR",
    "LANGUAGES",
    "OPERATORS",
    "PERSON_FIELDS",
    "QUESTION_TYPES",
    "Condition",
    "DefinitionError",
    "LifeEvent",
    "Option",
    "Question",
    "Step",
    "Text",
    "catalogue",
    "load_all",
    "load_definition",
]

DEFINITIONS_DIR = Path(__file__).parent / "definitions"


def read_declaration(path: Path, what: str = "a definition") -> dict[str, Any]:
    """One declaration file's YAML: a mapping with an 'id' (a life event's or a rule's)."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise DefinitionError(f"{path.name}: not valid YAML: {error}") from error
    if not isinstance(raw, dict) or "id" not in raw:
        raise DefinitionError(f"{path.name}: {what} is a mapping with an 'id'")
    return raw


def load_definition(
    path: Path, agencies: set[str], relations: tuple[str, ...] = RELATION_KINDS
) -> LifeEvent:
    """Load and check one definition file."""
    raw = read_declaration(path)
    return DefinitionParser(path.name, str(raw["id"]), agencies, relations).life_event(raw)


def load_all(
    directory: Path = DEFINITIONS_DIR, agencies: set[str] | None = None
) -> dict[str, LifeEvent]:
    """Load every definition in a folder, keyed by id; refuse two with the same id."""
    known = set(AGENCIES) if agencies is None else agencies
    events: dict[str, LifeEvent] = {}
    for path in sorted(directory.glob("*.yaml")):
        event = load_definition(path, known)
        if event.id in events:
            raise DefinitionError(f"{path.name}: life event {event.id!r} is defined twice")
        events[event.id] = event
    return dict(sorted(events.items(), key=lambda item: (item[1].order, item[0])))


@functools.cache
def catalogue() -> dict[str, LifeEvent]:
    """The shipped life events, loaded once per process."""
    return load_all()

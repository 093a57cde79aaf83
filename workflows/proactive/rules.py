"""Proactive rules: what the registers and earlier cases say, turned into a reminder, an offer
or a suggestion. Declared as data beside the life events (`definitions/proactive/*.yaml`),
parsed with the life events' own parser, each with its source and its reason in plain words.

A rule's `trigger` is one of:
- `{register_event: birth | death, to: guardian | estate_member}`: each person standing in
  that relation to the child born or the person who died;
- `{register_event: change-of-address, to: self, unless_started: {life_event: moving, days:
  60}}`: the person who moved, unless they started or sent a case of that life event in the
  days before the move or since;
- `{register_fact: population.passport_expires_on, within: {months: 3}}`: a date the register
  holds, coming within the window;
- `{step_deadline: <life event>.<step>, before: {days: 14}, met: [done]}`: the step's declared
  deadline, a set time before it, unless the step is by then in a `met` status;
- `{case: <life event>, when: <condition over its answers>}`: a case submitted that shows
  eligibility for something not applied for.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from agencies.catalogue import AGENCIES
from agencies.population import RELATION_KINDS

from ..declarations import Condition, DefinitionError, LifeEvent, Text
from ..definition_parser import DefinitionParser
from ..lifeevents import DEFINITIONS_DIR, catalogue, read_declaration

RULES_DIR = DEFINITIONS_DIR / "proactive"
KINDS = ("reminder", "offer", "suggestion")
EVENTS = ("birth", "death", "change-of-address")
# The person an event is about (the person who moved), rather than someone related to them.
SELF = "self"
# The dates a register holds that a rule may watch.
FACTS = ("population.passport_expires_on",)

Trigger = Literal["register_event", "register_fact", "step_deadline", "case"]


@dataclass(frozen=True)
class Rule:
    """One proactive rule, as declared."""

    id: str
    kind: Literal["reminder", "offer", "suggestion"]
    trigger: Trigger
    title: Text
    text: Text
    reason: Text
    source: str  # the register, fact or life event the rule reads
    relation: str | None = None  # register_event: to whom
    event: str | None = None  # register_event: birth, death or change-of-address
    unless_started: str | None = None  # register_event: not if a case of this was begun
    unless_days: int = 0  # register_event: ... this many days before the event, or since
    within_months: int = 0  # register_fact
    life_event: str | None = None  # step_deadline, case
    step: str | None = None  # step_deadline
    before_days: int = 0  # step_deadline
    met: tuple[str, ...] = ()  # step_deadline: the statuses in which it is met
    when: Condition | None = None  # case
    start: str | None = None  # offer: the life event to start
    answers: Mapping[str, Any] = field(default_factory=dict)  # offer: proposed, `{event: x}`

    def as_dict(self) -> dict[str, Any]:
        """The rule as the open catalogue shows it."""
        found: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "trigger": self.trigger,
            "source": self.source,
            "title": dict(self.title),
            "reason": dict(self.reason),
        }
        if self.start:
            found["start"] = self.start
        if self.when is not None:
            found["when"] = self.when.as_dict()
        return found


class RuleParser(DefinitionParser):
    """The life events' parser, for one rule file."""

    def rule(self, raw: dict[str, Any], events: Mapping[str, LifeEvent]) -> Rule:
        known = {"id", "kind", "trigger", "title", "text", "reason", "start", "answers"}
        self.unknown_keys(raw, known, "top level")
        if raw.get("kind") not in KINDS:
            raise self.fail("kind", f"a rule is one of {', '.join(KINDS)}")
        texts = {name: self.text(raw.get(name), name) for name in ("title", "text", "reason")}
        trigger = self.trigger(raw.get("trigger"), events)
        start, answers = raw.get("start"), raw.get("answers") or {}
        if raw["kind"] == "offer":
            if not isinstance(start, str) or start not in events:
                raise self.fail("start", f"an offer starts a life event, not {start!r}")
            asked = {question.id for question in events[start].questions}
            for key in answers:
                if key not in asked:
                    raise self.fail(f"answers.{key}", f"{start!r} asks no such question")
        elif start or answers:
            raise self.fail("start", "only an offer starts a life event")
        return Rule(
            id=self.event_id,
            kind=raw["kind"],
            title=texts["title"],
            text=texts["text"],
            reason=texts["reason"],
            start=start,
            answers=dict(answers),
            **trigger,
        )

    def trigger(self, raw: Any, events: Mapping[str, LifeEvent]) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise self.fail("trigger", "a trigger is a mapping")
        if "register_event" in raw:
            return self.register_event(raw, events)
        if "register_fact" in raw:
            self.unknown_keys(raw, {"register_fact", "within"}, "trigger")
            if raw["register_fact"] not in FACTS:
                raise self.fail("trigger.register_fact", f"not a date a rule may watch: {FACTS}")
            months = (raw.get("within") or {}).get("months")
            if not isinstance(months, int) or months <= 0:
                raise self.fail("trigger.within", "the window is a whole number of months")
            return {
                "trigger": "register_fact",
                "source": raw["register_fact"],
                "within_months": months,
            }
        if "step_deadline" in raw:
            return self.step_deadline(raw, events)
        if "case" in raw:
            self.unknown_keys(raw, {"case", "when"}, "trigger")
            event = events.get(raw["case"])
            if event is None:
                raise self.fail("trigger.case", f"unknown life event {raw['case']!r}")
            asked = {question.id for question in event.questions}
            self.people_questions = {q.id for q in event.questions if q.type == "several_people"}
            when = self.condition(raw.get("when"), "trigger.when", asked)
            return {"trigger": "case", "life_event": event.id, "when": when, "source": event.id}
        raise self.fail("trigger", "register_event, register_fact, step_deadline or case")

    def register_event(
        self, raw: dict[str, Any], events: Mapping[str, LifeEvent]
    ) -> dict[str, Any]:
        self.unknown_keys(raw, {"register_event", "to", "unless_started"}, "trigger")
        kind, to = raw["register_event"], raw.get("to")
        if kind not in EVENTS or to not in (*RELATION_KINDS, SELF):
            raise self.fail("trigger", f"an event of {EVENTS} to one of {RELATION_KINDS + (SELF,)}")
        if (kind == "change-of-address") != (to == SELF):
            raise self.fail("trigger.to", "a change of address is told to the person who moved")
        found = {"trigger": "register_event", "event": kind, "relation": to}
        unless = raw.get("unless_started")
        if unless is not None:
            if not isinstance(unless, dict):
                raise self.fail("trigger.unless_started", "a mapping: life_event and days")
            self.unknown_keys(unless, {"life_event", "days"}, "trigger.unless_started")
            days = unless.get("days")
            if unless.get("life_event") not in events or not isinstance(days, int) or days < 0:
                raise self.fail("trigger.unless_started", "a life event and a number of days")
            found |= {"unless_started": unless["life_event"], "unless_days": days}
        return found | {"source": "population"}

    def step_deadline(self, raw: dict[str, Any], events: Mapping[str, LifeEvent]) -> dict[str, Any]:
        self.unknown_keys(raw, {"step_deadline", "before", "met"}, "trigger")
        event_id, _, step_id = str(raw["step_deadline"]).partition(".")
        event = events.get(event_id)
        step = next((s for s in event.steps if s.id == step_id), None) if event else None
        if step is None or step.deadline is None:
            raise self.fail(
                "trigger.step_deadline", f"no step with a deadline {raw['step_deadline']!r}"
            )
        days = (raw.get("before") or {}).get("days")
        if not isinstance(days, int) or days < 0:
            raise self.fail("trigger.before", "a whole number of days before the deadline")
        met = raw.get("met") or []
        return {
            "trigger": "step_deadline",
            "life_event": event_id,
            "step": step_id,
            "before_days": days,
            "met": tuple(met),
            "source": f"{event_id}.{step_id}",
        }


def load_rule(path: Path, events: Mapping[str, LifeEvent]) -> Rule:
    """Load and check one rule file."""
    raw = read_declaration(path, "a rule")
    parser = RuleParser(path.name, str(raw["id"]), set(AGENCIES), RELATION_KINDS)
    return parser.rule(raw, events)


def load_rules(
    directory: Path = RULES_DIR, events: Mapping[str, LifeEvent] | None = None
) -> dict[str, Rule]:
    """Every rule in a folder, by id; two with one id are refused."""
    known = catalogue() if events is None else events
    rules: dict[str, Rule] = {}
    for path in sorted(directory.glob("*.yaml")):
        rule = load_rule(path, known)
        if rule.id in rules:
            raise DefinitionError(f"{path.name}: rule {rule.id!r} is defined twice")
        rules[rule.id] = rule
    return rules


@functools.cache
def rules() -> dict[str, Rule]:
    """The shipped rules, loaded once per process."""
    return load_rules()


def of_trigger(trigger: Trigger) -> list[Rule]:
    """The shipped rules with this trigger."""
    return [rule for rule in rules().values() if rule.trigger == trigger]

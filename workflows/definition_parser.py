"""The parser behind `load_definition`: one file's YAML into dataclasses, checked as it goes."""

from __future__ import annotations

from typing import Any

from agencies.municipalities import MUNICIPALITIES
from agencies.registers.catalogue import fact_type

from .behalf import Representation
from .condition_parser import parse_condition
from .declarations import (
    LANGUAGES,
    PERSON_FIELDS,
    QUESTION_TYPES,
    Condition,
    DateWindow,
    DefinitionError,
    LifeEvent,
    Option,
    Question,
    Step,
    Text,
)
from .people.parsing import people_options, people_source
from .step_parser import StepParser


class DefinitionParser:
    """Turns one file's YAML into dataclasses, naming the place of every mistake."""

    def __init__(
        self, filename: str, event_id: str, agencies: set[str], relations: tuple[str, ...]
    ) -> None:
        self.filename = filename
        self.event_id = event_id
        self.agencies = agencies
        self.relations = relations
        # The municipality questions read so far: a condition on one compares codes.
        self.municipality_questions: set[str] = set()
        # The several_people questions read so far: a condition on one asks what they include.
        self.people_questions: set[str] = set()

    def fail(self, place: str, message: str) -> DefinitionError:
        return DefinitionError(f"{self.filename}: life event {self.event_id!r}: {place}: {message}")

    def text(self, raw: Any, place: str) -> Text:
        if not isinstance(raw, dict):
            raise self.fail(place, "a text needs one entry per language (sv, en)")
        for language in LANGUAGES:
            if not isinstance(raw.get(language), str) or not raw[language].strip():
                raise self.fail(place, f"missing the {language!r} text")
        return {language: raw[language] for language in LANGUAGES}

    def life_event(self, raw: dict[str, Any]) -> LifeEvent:
        known = {"id", "title", "description", "questions", "steps"}
        known |= {"example_person", "example_answers", "on_behalf_of", "order", "pages"}
        known |= {"confirmed_by"}
        self.unknown_keys(raw, known, "top level")
        questions = self.questions(raw.get("questions") or [])
        steps = self.steps(raw.get("steps") or [], questions)
        if not steps:
            raise self.fail("steps", "a life event needs at least one step")
        event = LifeEvent(
            id=self.event_id,
            title=self.text(raw.get("title"), "title"),
            description=self.text(raw.get("description"), "description"),
            questions=questions,
            steps=steps,
            example_person=str(raw.get("example_person") or ""),
            example_answers=dict(raw.get("example_answers") or {}),
            source=self.filename,
            order=self.order(raw.get("order", 100)),
            page_titles=self.page_titles(raw.get("pages"), questions),
            on_behalf_of=self.representation(raw["on_behalf_of"], questions)
            if "on_behalf_of" in raw
            else None,
            confirmed_by=StepParser(self).role(raw.get("confirmed_by"), "confirmed_by"),
        )
        self.check_prefill_of(event)
        return event

    def check_prefill_of(self, event: LifeEvent) -> None:
        """A fact about someone else is read only about the person the citizen acts for."""
        acting = event.on_behalf_of.question if event.on_behalf_of else None
        for index, question in enumerate(event.questions):
            if question.prefill_of is not None and question.prefill_of != acting:
                raise self.fail(
                    f"questions[{index}] ({question.id}).prefill_of",
                    "reads only about the person of 'on_behalf_of'",
                )

    def page_titles(self, raw: Any, questions: tuple[Question, ...]) -> dict[str, Text]:
        """The title of each page of grouped questions: every group has one, in sv and en, and
        its questions come one after another (they are asked on one page)."""
        raw = {} if raw is None else raw
        if not isinstance(raw, dict):
            raise self.fail("pages", "a mapping from a group of questions to its title")
        groups: list[str] = []
        previous: str | None = None
        for index, question in enumerate(questions):
            if question.group and question.group != previous:
                if question.group in groups:
                    place = f"questions[{index}] ({question.id}).group"
                    raise self.fail(place, f"the questions of {question.group!r} are not together")
                groups.append(question.group)
            previous = question.group
        for group in groups:
            if group not in raw:
                raise self.fail("pages", f"the page of questions {group!r} needs a title")
        for key in raw:
            if key not in groups:
                raise self.fail(f"pages.{key}", "no question is in this group")
        return {group: self.text(raw[group], f"pages.{group}") for group in groups}

    def order(self, raw: Any) -> int:
        """Where the life event comes in the catalogue: lower first."""
        if not isinstance(raw, int) or isinstance(raw, bool):
            raise self.fail("order", "the order is a whole number")
        return raw

    def representation(self, raw: Any, questions: tuple[Question, ...]) -> Representation:
        """Who the citizen acts for: a personal-number question asked of everyone, a relation."""
        place = "on_behalf_of"
        if not isinstance(raw, dict):
            raise self.fail(place, "needs 'question', 'relation' and 'refused'")
        self.unknown_keys(raw, {"question", "relation", "refused"}, place)
        if raw.get("relation") not in self.relations:
            raise self.fail(f"{place}.relation", f"unknown relation {raw.get('relation')!r}")
        # A company is named by its organisation number, a person by their personal number.
        kind = "organisation_number" if raw["relation"] == "representative" else "personal_number"
        found = next((q for q in questions if q.id == raw.get("question")), None)
        # A person may also be chosen among those the register lists (their number is kept).
        kinds = (kind, "one_person") if kind == "personal_number" else (kind,)
        if found is None or found.type not in kinds or found.when is not None:
            raise self.fail(
                f"{place}.question",
                f"{raw.get('question')!r} is not a {kind} question asked of everyone",
            )
        refused = self.text(raw.get("refused"), f"{place}.refused")
        return Representation(question=found.id, relation=raw["relation"], refused=refused)

    def unknown_keys(self, raw: dict[str, Any], known: set[str], place: str) -> None:
        unknown = sorted(set(raw) - known)
        if unknown:
            raise self.fail(place, f"unknown field {unknown[0]!r}")

    def questions(self, raw_list: list[Any]) -> tuple[Question, ...]:
        questions: list[Question] = []
        seen: set[str] = set()
        for index, raw in enumerate(raw_list):
            place = f"questions[{index}]"
            if not isinstance(raw, dict) or not raw.get("id"):
                raise self.fail(place, "a question needs an 'id'")
            place = f"questions[{index}] ({raw['id']})"
            known = {"id", "type", "text", "hint", "group", "when", "options", "pattern"}
            known |= {"pattern_error"}
            known |= {"prefill", "prefill_of", "reuse", "date_range", "window"}
            known |= {"people_from", "none_option", "nobody_listed"}
            self.unknown_keys(raw, known | {"minimum", "maximum", "max_length"}, place)
            if "date_range" in raw and (
                raw.get("type") != "date" or raw["date_range"] not in ("past", "future")
            ):
                raise self.fail(f"{place}.date_range", "a date question's range is past or future")
            if raw["id"] in seen or raw["id"] in PERSON_FIELDS:
                raise self.fail(place, f"the id {raw['id']!r} is used twice")
            if raw.get("type") not in QUESTION_TYPES:
                raise self.fail(place, f"unknown type {raw.get('type')!r}")
            options = self.options(raw, place) + people_options(self, raw, place)
            if raw["type"] in ("one_of", "several_of") and not options:
                raise self.fail(place, "a choice question needs options")
            if "pattern" in raw and "pattern_error" not in raw:
                raise self.fail(
                    place, "a pattern needs a 'pattern_error' saying how to put it right"
                )
            when = self.condition(raw["when"], f"{place}.when", seen) if "when" in raw else None
            questions.append(
                Question(
                    id=raw["id"],
                    type=raw["type"],
                    text=self.text(raw.get("text"), f"{place}.text"),
                    hint=self.text(raw["hint"], f"{place}.hint") if "hint" in raw else None,
                    group=raw.get("group"),
                    when=when,
                    options=options,
                    pattern=raw.get("pattern"),
                    pattern_error=self.text(raw["pattern_error"], f"{place}.pattern_error")
                    if "pattern_error" in raw
                    else None,
                    minimum=raw.get("minimum"),
                    maximum=raw.get("maximum"),
                    max_length=int(raw.get("max_length", 200)),
                    date_range=raw.get("date_range"),
                    window=self.window(raw, place),
                    prefill=self.prefill(raw, place),
                    prefill_of=self.prefill_of(raw, place, seen),
                    reuse=bool(raw.get("reuse", False)),
                    people_from=people_source(self, raw, place),
                    nobody_listed=self.text(raw["nobody_listed"], f"{place}.nobody_listed")
                    if "nobody_listed" in raw
                    else None,
                )
            )
            seen.add(raw["id"])
            if raw["type"] == "municipality":
                self.municipality_questions.add(raw["id"])
            if raw["type"] == "several_people":
                self.people_questions.add(raw["id"])
        return tuple(questions)

    def window(self, raw: dict[str, Any], place: str) -> DateWindow | None:
        """The dates a date question accepts: `days_before` and/or `days_after` today (whole
        days, 0 or more), and the `reason` in plain words."""
        if "window" not in raw:
            return None
        where, found = f"{place}.window", raw["window"]
        if raw.get("type") != "date" or not isinstance(found, dict):
            raise self.fail(where, "only a date question has a window of dates")
        self.unknown_keys(found, {"days_before", "days_after", "reason"}, where)
        days = {key: found.get(key) for key in ("days_before", "days_after")}
        for key, value in days.items():
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise self.fail(f"{where}.{key}", "a whole number of days, 0 or more")
            if value is not None and value < 0:
                raise self.fail(f"{where}.{key}", "a whole number of days, 0 or more")
        if days["days_before"] is None and days["days_after"] is None:
            raise self.fail(where, "a window needs 'days_before', 'days_after' or both")
        reason = self.text(found.get("reason"), f"{where}.reason")
        return DateWindow(reason, days["days_before"], days["days_after"])

    def options(self, raw: dict[str, Any], place: str) -> tuple[Option, ...]:
        """A choice question's options; `exclusive` ones ("None of these") only where several
        may be chosen. A municipality question's options are the 290 municipalities."""
        if raw.get("type") == "municipality":
            if "options" in raw:
                raise self.fail(f"{place}.options", "a municipality question lists them all")
            return tuple(
                Option(code, {"sv": name, "en": name}) for code, name in MUNICIPALITIES.items()
            )
        options = []
        for i, option in enumerate(raw.get("options") or []):
            where = f"{place}.options[{i}]"
            if not isinstance(option, dict):
                raise self.fail(where, "an option needs a 'value' and a 'text'")
            self.unknown_keys(option, {"value", "text", "exclusive"}, where)
            exclusive = option.get("exclusive", False)
            if not isinstance(exclusive, bool) or (exclusive and raw["type"] != "several_of"):
                raise self.fail(f"{where}.exclusive", "only an option of several_of is exclusive")
            text = self.text(option.get("text"), where)
            options.append(Option(str(option["value"]), text, exclusive))
        return tuple(options)

    def prefill(self, raw: dict[str, Any], place: str) -> str | None:
        """`register.fact` answering the question: a fact a register holds, of the same type."""
        if "prefill" not in raw:
            return None
        reference = str(raw["prefill"])
        kind = fact_type(reference)
        if kind is None:
            raise self.fail(f"{place}.prefill", f"no register holds the fact {reference!r}")
        if kind != raw["type"]:
            raise self.fail(f"{place}.prefill", f"{reference!r} is a {kind}, not a {raw['type']}")
        return reference

    def prefill_of(self, raw: dict[str, Any], place: str, seen: set[str]) -> str | None:
        """Whose fact a `prefill` reads: the person the citizen acts for, named by the life
        event's `on_behalf_of` question (checked once that is read)."""
        if "prefill_of" not in raw:
            return None
        if "prefill" not in raw:
            raise self.fail(f"{place}.prefill_of", "only a question with a 'prefill' has one")
        named = raw["prefill_of"]
        if named not in seen:
            raise self.fail(f"{place}.prefill_of", f"no earlier question {named!r}")
        return str(named)

    def condition(self, raw: Any, place: str, questions: set[str]) -> Condition:
        """Parse a condition; it may only read questions declared before it."""
        return parse_condition(self, raw, place, questions)

    def steps(self, raw_list: list[Any], questions: tuple[Question, ...]) -> tuple[Step, ...]:
        """The steps, each checked against the questions, the agencies and the other steps."""
        return StepParser(self).steps(raw_list, questions)

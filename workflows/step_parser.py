"""The steps of a life event's definition: each checked against the questions, the agencies,
its deadline and the other steps (no cycle, no unknown field)."""

from __future__ import annotations

from typing import Any, Protocol

from agencies.municipalities import FAMILY, PREFIX, is_code
from agencies.registers.catalogue import REGISTERS

from .confirmations.roles import ROLES
from .deadlines import PLACEHOLDER, Deadline, parse_deadline
from .declarations import LANGUAGES, PERSON_FIELDS, Condition, DefinitionError, Question, Step, Text
from .people.parsing import derived_fields
from .rights import parse_appeal, parse_legal_basis
from .step_graph import dependency_cycle, unknown_field


class Parsing(Protocol):
    """What a step's parser takes from the definition's parser: its agencies, and how it reads
    a text, a condition and unknown keys, naming the place of a mistake."""

    agencies: set[str]

    def fail(self, place: str, message: str) -> DefinitionError: ...

    def text(self, raw: Any, place: str) -> Text: ...

    def unknown_keys(self, raw: dict[str, Any], known: set[str], place: str) -> None: ...

    def condition(self, raw: Any, place: str, questions: set[str]) -> Condition: ...


class StepParser:
    """Turns a definition's `steps` into Step dataclasses."""

    def __init__(self, parser: Parsing) -> None:
        self.parser = parser

    def steps(self, raw_list: list[Any], questions: tuple[Question, ...]) -> tuple[Step, ...]:
        question_ids = {q.id for q in questions}
        dates = {q.id for q in questions if q.type == "date"}
        ids = [raw.get("id") for raw in raw_list if isinstance(raw, dict)]
        steps: list[Step] = []
        seen: set[str] = set()
        for index, raw in enumerate(raw_list):
            if not isinstance(raw, dict) or not raw.get("id"):
                raise self.parser.fail(f"steps[{index}]", "a step needs an 'id'")
            place = f"steps[{index}] ({raw['id']})"
            known = {"id", "agency", "title", "reason", "fields", "depends_on", "when", "action"}
            known |= {"handling", "produces", "next_step", "deadline", "service_days"}
            known |= {"confirmed_by", "municipality", "told_by"}
            known |= {"legal_basis", "appeal"}
            self.parser.unknown_keys(raw, known, place)
            if raw["id"] in seen:
                raise self.parser.fail(place, f"the step id {raw['id']!r} is used twice")
            seen.add(raw["id"])
            municipality = self.municipality(raw, place, questions)
            for dependency in raw.get("depends_on") or []:
                if dependency not in ids:
                    raise self.parser.fail(
                        f"{place}.depends_on", f"depends on a missing step {dependency!r}"
                    )
            if raw.get("action", "submit") not in ("submit", "inform"):
                raise self.parser.fail(f"{place}.action", "the action is 'submit' or 'inform'")
            if raw.get("handling", "automatic") not in ("automatic", "manual"):
                raise self.parser.fail(
                    f"{place}.handling", "the handling is 'automatic' or 'manual'"
                )
            when = (
                self.parser.condition(raw["when"], f"{place}.when", question_ids)
                if "when" in raw
                else None
            )
            next_step = (
                self.parser.text(raw["next_step"], f"{place}.next_step")
                if "next_step" in raw
                else None
            )
            deadline = self.deadline(raw, place, next_step, dates)
            steps.append(
                Step(
                    id=raw["id"],
                    agency=raw["agency"],
                    title=self.parser.text(raw.get("title"), f"{place}.title"),
                    reason=self.parser.text(raw.get("reason"), f"{place}.reason"),
                    fields=tuple(raw.get("fields") or ()),
                    depends_on=tuple(raw.get("depends_on") or ()),
                    when=when,
                    action=raw.get("action", "submit"),
                    handling=raw.get("handling", "automatic"),
                    produces=tuple(raw.get("produces") or ()),
                    next_step=next_step,
                    deadline=deadline,
                    service_days=self.service_days(raw, place),
                    confirmed_by=self.role(raw.get("confirmed_by"), f"{place}.confirmed_by"),
                    **self.rights(raw, place),
                    municipality=municipality,
                    told_by=self.told_by(raw, place),
                )
            )
        self.check_cycles(steps)
        self.check_fields(steps, question_ids | derived_fields(questions))
        return tuple(steps)

    def role(self, raw: Any, place: str) -> str | None:
        """A role whose person must confirm (`workflows.confirmations.roles`), if named."""
        if raw is None:
            return None
        if raw not in ROLES:
            raise self.parser.fail(place, f"unknown role {raw!r}; known: {', '.join(ROLES)}")
        return str(raw)

    def municipality(
        self, raw: dict[str, Any], place: str, questions: tuple[Question, ...]
    ) -> str | None:
        """Which municipality a municipality's step goes to: `agency: kommun` with
        `municipality:` naming a municipality question or a code; `kommun_<code>` directly."""
        agency = str(raw.get("agency"))
        if agency.startswith(PREFIX) and not is_code(agency.removeprefix(PREFIX)):
            code = agency.removeprefix(PREFIX)
            raise self.parser.fail(f"{place}.agency", f"unknown municipality code {code!r}")
        if agency != FAMILY:
            if agency not in self.parser.agencies:
                raise self.parser.fail(f"{place}.agency", f"unknown agency {agency!r}")
            if "municipality" in raw:
                raise self.parser.fail(f"{place}.municipality", "only a step of 'kommun' has one")
            return None
        chosen = raw.get("municipality")
        asked = {q.id for q in questions if q.type == "municipality"}
        if chosen in asked or is_code(chosen):
            return str(chosen)
        if isinstance(chosen, str) and chosen.isdigit():
            raise self.parser.fail(f"{place}.municipality", f"unknown municipality code {chosen!r}")
        raise self.parser.fail(
            f"{place}.municipality",
            "a step of 'kommun' names a municipality question or a quoted code, like \"0380\"",
        )

    def rights(self, raw: dict[str, Any], place: str) -> dict[str, Any]:
        """The step's legal basis (required of a step that sends fields) and how its
        decision is appealed (required of a step an officer decides)."""
        fail, sends = self.parser.fail, raw.get("action", "submit") == "submit"
        basis = raw.get("legal_basis")
        return {
            "legal_basis": parse_legal_basis(basis, place, fail, self.parser.text)
            if sends or basis is not None
            else None,
            "appeal": parse_appeal(raw.get("appeal"), place, fail, raw.get("handling") == "manual"),
        }

    def told_by(self, raw: dict[str, Any], place: str) -> str | None:
        """The base register that tells the agency by itself: nothing is sent from here."""
        if "told_by" not in raw:
            return None
        if raw["told_by"] not in REGISTERS:
            raise self.parser.fail(f"{place}.told_by", f"no register {raw['told_by']!r}")
        if raw.get("action") != "inform":
            raise self.parser.fail(f"{place}.told_by", "a step told by a register is 'inform'")
        return str(raw["told_by"])

    def service_days(self, raw: dict[str, Any], place: str) -> int | None:
        """The days the agency has to decide the step (its service level), if declared."""
        if "service_days" not in raw:
            return None
        days = raw["service_days"]
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 365:
            raise self.parser.fail(f"{place}.service_days", "a whole number of days from 1 to 365")
        return days

    def deadline(
        self, raw: dict[str, Any], place: str, next_step: Text | None, dates: set[str]
    ) -> Deadline | None:
        """A dated next step: the deadline and a next-step text that shows it, both or neither."""
        uses = next_step is not None and all(PLACEHOLDER in next_step[lang] for lang in LANGUAGES)
        if "deadline" not in raw:
            if next_step is not None and any(PLACEHOLDER in next_step[lang] for lang in LANGUAGES):
                raise self.parser.fail(
                    f"{place}.next_step", f"uses {PLACEHOLDER} without a 'deadline'"
                )
            return None
        try:
            deadline = parse_deadline(raw["deadline"], dates)
        except ValueError as error:
            raise self.parser.fail(f"{place}.deadline", str(error)) from error
        if not uses:
            raise self.parser.fail(
                f"{place}.next_step", f"a step with a deadline shows it: {PLACEHOLDER} in sv and en"
            )
        return deadline

    def check_cycles(self, steps: list[Step]) -> None:
        cycle = dependency_cycle(steps)
        if cycle is not None:
            raise self.parser.fail("steps", f"dependency cycle {' -> '.join(cycle)}")

    def check_fields(self, steps: list[Step], question_ids: set[str]) -> None:
        found = unknown_field(steps, question_ids | set(PERSON_FIELDS))
        if found is not None:
            index, step, name = found
            raise self.parser.fail(f"steps[{index}] ({step.id}).fields", f"unknown field {name!r}")

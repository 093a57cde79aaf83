"""Every text a citizen reads exists in Swedish and in English."""

from __future__ import annotations

import ast
import dataclasses
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from babel.messages.catalog import Message

from agencies.catalogue import AGENCIES
from agencies.registers.catalogue import REGISTERS
from contactpoint.platform.translations import (
    PROJECT,
    SOURCE_FOLDERS,
    extract_messages,
    read_catalogue,
)
from workflows import PERSON_FIELDS, field_text
from workflows.lifeevents import LANGUAGES, catalogue


def _translated(message: Message | None) -> bool:
    if message is None or message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(isinstance(value, str) and value.strip() for value in strings)


def test_every_interface_text_has_a_swedish_translation() -> None:
    swedish = read_catalogue("sv")
    missing = [
        message.id
        for message in extract_messages()
        if message.id and not _translated(swedish.get(message.id, context=message.context))
    ]
    assert not missing, f"run `make messages` and translate in messages.po: {missing}"


def test_the_swedish_texts_keep_their_placeholders() -> None:
    problems = [
        (message.id, [str(error) for error in errors])
        for message, errors in read_catalogue("sv").check()
    ]
    assert not problems


def _language_dicts(source: str) -> list[int]:
    """The lines of Python dicts keyed by a language: `{"sv": ..., "en": ...}`, `dict(sv=...)`."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict):
            keys = {key.value for key in node.keys if isinstance(key, ast.Constant)}
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "dict"
        ):
            keys = {keyword.arg for keyword in node.keywords}
        else:
            continue
        if keys & set(LANGUAGES):
            lines.append(node.lineno)
    return lines


TEMPLATE_LANGUAGE_DICT = re.compile(r"\{\s*[\"'](?:" + "|".join(LANGUAGES) + r")[\"']\s*:")


def _inline_translations(root: Path) -> list[str]:
    """Every place in the interface's code and templates that translates with a dict."""
    found = []
    for folder in SOURCE_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            place = path.relative_to(root)
            if path.suffix == ".py":
                lines = _language_dicts(path.read_text(encoding="utf-8"))
            elif path.suffix == ".html":
                source = path.read_text(encoding="utf-8")
                starts = [match.start() for match in TEMPLATE_LANGUAGE_DICT.finditer(source)]
                lines = [source.count("\n", 0, start) + 1 for start in starts]
            else:
                continue
            found.extend(f"{place}:{line}" for line in lines)
    return found


def test_the_interface_translates_only_through_the_catalogue() -> None:
    assert _language_dicts('WORDS = {"sv": "Ja", "en": "Yes"}\nNO = dict(sv="Nej", en="No")')
    assert TEMPLATE_LANGUAGE_DICT.search('{{ t({"sv": "Ja", "en": "Yes"}) }}')
    found = _inline_translations(PROJECT)
    assert not found, (
        "write interface texts as gettext messages (English msgid, Swedish in messages.po), "
        f"not as {{'sv': ..., 'en': ...}}; force_locale for another language: {found}"
    )


def _texts(value: Any, place: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every language mapping ({"sv": ..., "en": ...}) inside a definition, with its place."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _texts(getattr(value, field.name), f"{place}.{field.name}")
    elif isinstance(value, Mapping):
        if value and set(value) <= set(LANGUAGES):
            yield place, value
        else:
            for key, item in value.items():
                yield from _texts(item, f"{place}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _texts(item, f"{place}[{index}]")


def test_every_life_event_and_agency_text_exists_in_both_languages() -> None:
    found = [
        *(text for event in catalogue().values() for text in _texts(event, event.id)),
        *(text for agency in AGENCIES.values() for text in _texts(agency, agency.id)),
        *(text for register in REGISTERS.values() for text in _texts(register, register.id)),
    ]
    assert found, "the definitions carry texts"
    lacking = [
        (place, language)
        for place, value in found
        for language in LANGUAGES
        if not str(value.get(language) or "").strip()
    ]
    assert not lacking


def test_every_field_sent_or_read_is_named_in_both_languages() -> None:
    """A field an agency receives, or a fact read from a register, is shown by its words,
    never by its name in the code (the pages log a field that has none)."""
    named: dict[str, Any] = {}
    for event in catalogue().values():
        for step in event.steps:
            for name in (*step.fields, *step.produces):
                if name not in PERSON_FIELDS:
                    named[f"{event.id}.{step.id}.{name}"] = field_text(event, name)
    for register in REGISTERS.values():
        for fact in register.facts:
            named[f"{register.id}.{fact}"] = field_text(None, fact, register=register.id)
    lacking = [
        place
        for place, words in named.items()
        if words is None or any(not str(words.get(lang) or "").strip() for lang in LANGUAGES)
    ]
    assert named and not lacking

"""Every text a citizen reads exists in Swedish and in English."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any

from babel.messages.catalog import Message

from agencies.catalogue import AGENCIES
from contactpoint.platform.translations import extract_messages, read_catalogue
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
    ]
    assert found, "the definitions carry texts"
    lacking = [
        (place, language)
        for place, value in found
        for language in LANGUAGES
        if not str(value.get(language) or "").strip()
    ]
    assert not lacking

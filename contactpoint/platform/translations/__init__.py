"""The interface's translations: `.po` files kept here, compiled to `.mo` when the app starts."""

from __future__ import annotations

import os
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

SOURCE = Path(__file__).resolve().parent
PROJECT = SOURCE.parents[2]
SOURCE_FOLDERS = ("contactpoint", "templates")
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "_l": None}


def catalogue_file(language: str) -> Path:
    """The `.po` file of one language."""
    return SOURCE / language / "LC_MESSAGES" / "messages.po"


def read_catalogue(language: str) -> Catalog:
    """One language's catalogue as it is in the repository."""
    with catalogue_file(language).open("rb") as handle:
        return read_po(handle, locale=language)


def compile_translations(target: Path) -> str:
    """Compile each `.po` to a `.mo` under `target` when missing or older; return `target`."""
    for source in SOURCE.glob("*/LC_MESSAGES/messages.po"):
        compiled = target / source.relative_to(SOURCE).with_suffix(".mo")
        if compiled.exists() and compiled.stat().st_mtime >= source.stat().st_mtime:
            continue
        compiled.parent.mkdir(parents=True, exist_ok=True)
        catalogue = read_catalogue(source.parent.parent.name)
        partial = compiled.with_name(f".messages.{os.getpid()}.mo")
        with partial.open("wb") as handle:
            write_mo(handle, catalogue)
        os.replace(partial, compiled)  # atomic: the web process and workers may start together
    return str(target)


def extract_messages(root: Path = PROJECT) -> Catalog:
    """Every translatable message in the code and templates, as `babel.cfg` says where."""
    with (root / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    catalogue = Catalog(project="Kontaktpunkt")
    for folder in SOURCE_FOLDERS:
        for filename, lineno, message, comments, context in extract_from_dir(
            str(root / folder), method_map, options_map, keywords=KEYWORDS
        ):
            location = (f"{folder}/{filename}", lineno)
            catalogue.add(message, None, [location], auto_comments=comments, context=context)
    return catalogue

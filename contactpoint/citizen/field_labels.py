"""A field's name as a person reads it, in their language, for every page that lists fields."""

from __future__ import annotations

import logging

from flask_babel import lazy_gettext as _l

from contactpoint.platform.i18n import in_language, text
from workflows import PERSON_FIELDS, LifeEvent, field_text

log = logging.getLogger(__name__)

PERSON_LABELS = {"personal_number": _l("Personal identity number"), "name": _l("Name")}
YOUR_LABELS = {"personal_number": _l("Your personal identity number"), "name": _l("Your name")}


def field_label(
    name: str,
    event: LifeEvent | None,
    language: str | None = None,
    *,
    register: str | None = None,
    yours: bool = False,
) -> str:
    """A field's (or, with `register`, a register fact's) name in the reader's language.

    The words come from the declarations (tests hold them complete in both languages); a
    field nothing declares is shown by its name and logged, never dressed up as a word.
    """
    if register is None and name in PERSON_FIELDS:
        with in_language(language):
            return str((YOUR_LABELS if yours else PERSON_LABELS)[name])
    found = field_text(event, name, register)
    if found is None:
        log.warning("no words for the field %r (register %r)", name, register)
        return name
    return text(found, language)

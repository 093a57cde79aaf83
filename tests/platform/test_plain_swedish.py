"""Plain Swedish: every Swedish text a citizen reads scores at most 40 on LIX, the Swedish
readability index (läsbarhetsindex, Björnsson 1968):

    LIX = words / sentences + 100 × long words / words

40 is "medelsvår": the plain Swedish of an ordinary newspaper; texts for the public should not
be harder. How this test counts:

- A word is a run of letters (a hyphen joins two runs into one word, "F-skatt"). Numbers,
  dates, personal identity numbers and postcodes are examples to copy, not words to read,
  and are not counted. A placeholder (`%(agency)s`, `{deadline}`) counts as one short word:
  it stands for a name, a number or a date that the text itself does not choose.
- A long word has more than six letters.
- A sentence ends with `.`, `!`, `?` or `:` before a space or the end; text after the last
  such mark counts as a sentence too.
- Texts of one or two words are exempt. For them the formula's result is meaningless: it is
  1 or 2 plus 0, 50 or 100, so it says only whether a word is long ("Postnummer" scores 101,
  "Tillgänglighetsredogörelse" too), and a heading or a label cannot be made longer to read
  better. Every text of three words or more is measured.
- Texts that only case officers and administrators read (their pages and code) are not
  citizen-facing and are not measured here.

The texts: every Swedish msgstr of the catalogue, and every Swedish text of the life-event
definitions (titles, descriptions, questions, hints, options, steps' titles, reasons and
next steps, page titles, refusals).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from contactpoint.platform.translations import extract_messages, read_catalogue

LIMIT = 40
DEFINITIONS = Path(__file__).resolve().parents[2] / "workflows" / "definitions"
# The simulated provider's officer page stands in for an agency's own sign-in.
STAFF_ONLY = (
    "templates/officer/",
    "contactpoint/officer/",
    "templates/feedback/admin.html",
    "templates/devidp/officer.html",
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
SENTENCE_END = re.compile(r"[.!?:]+(?=\s|$)")


def words_of(text: str) -> list[str]:
    """The words of a text, as LIX counts them (see the module's docstring)."""
    return WORD.findall(PLACEHOLDER.sub("X", text.replace("\u00ad", "")))


def sentences_in(text: str) -> int:
    """How many sentences a text has: its ends, and a last one without an end mark."""
    text = text.strip()
    ends = len(SENTENCE_END.findall(text))
    return max(1, ends + (0 if SENTENCE_END.search(text[-1:]) else 1))


def lix(text: str) -> float:
    """The text's LIX: words per sentence plus the share of long words, in per cent."""
    words = words_of(text)
    long = sum(1 for word in words if len(word.replace("-", "")) > 6)
    return len(words) / sentences_in(text) + 100 * long / len(words)


def _swedish_texts(node: Any, place: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        if isinstance(node.get("sv"), str) and "en" in node:
            yield place, node["sv"]
            return
        for key, value in node.items():
            yield from _swedish_texts(value, f"{place}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _swedish_texts(value, f"{place}[{index}]")


def citizen_texts() -> Iterator[tuple[str, str]]:
    """(where, Swedish text) for every text a citizen may read."""
    staff_only = {
        message.id if isinstance(message.id, str) else message.id[0]
        for message in extract_messages()
        if message.id and all(path.startswith(STAFF_ONLY) for path, _ in message.locations)
    }
    for message in read_catalogue("sv"):
        key = message.id if isinstance(message.id, str) else message.id[0]
        if not key or key in staff_only:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            yield f"messages.po: {key!r}", string
    for path in sorted(DEFINITIONS.glob("*.yaml")):
        yield from _swedish_texts(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)


def test_lix_counts_as_the_formula_says() -> None:
    assert lix("Det här är en kort mening.") == pytest.approx(6)
    # 10 words in 2 sentences, 3 long (Skatteverket, ansökan, månader)
    text = "Skatteverket får din ansökan. Du får svar inom tre månader."
    assert len(words_of(text)) == 10 and sentences_in(text) == 2
    assert lix(text) == pytest.approx(10 / 2 + 100 * 3 / 10)
    assert words_of("Vi försöker igen %(time)s, den 2027-03-14.") == [
        "Vi",
        "försöker",
        "igen",
        "X",
        "den",
    ]
    assert sentences_in("Skriv så här: 753 20") == 2 and sentences_in("Kontakt") == 1
    assert words_of("Ansök om F-skatt") == ["Ansök", "om", "F-skatt"]


def test_every_swedish_text_a_citizen_reads_is_plain() -> None:
    texts = list(citizen_texts())
    assert len(texts) > 300  # the catalogue and the definitions were both read
    hard = [
        (round(lix(text)), where, text)
        for where, text in texts
        if len(words_of(text)) > 2 and lix(text) > LIMIT
    ]
    assert not hard, "\n".join(f"LIX {score}: {where}: {text}" for score, where, text in hard)

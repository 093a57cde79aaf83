"""Sweden's 290 municipalities with SCB's four-digit codes (kommunkoder), each an agency of its
own: `kommun_<code>`. Their steps share one queue, `agency.kommun`; each one's adapter is
chosen by its agency id, so one municipality can be given a real endpoint on its own.

The list is shipped as data (`data/municipalities.csv`, SCB's codes and names).
"""

from __future__ import annotations

import csv
from pathlib import Path

# The id a life event's step names when the municipality depends on the answers
# (`agency: kommun`, `municipality: <question or code>`), and the queue of all of them.
FAMILY = "kommun"
PREFIX = f"{FAMILY}_"
DATA = Path(__file__).parent / "data" / "municipalities.csv"


def _load() -> dict[str, str]:
    with DATA.open(encoding="utf-8", newline="") as source:
        rows = list(csv.DictReader(source))
    found = {row["code"]: row["name"] for row in rows}
    if len(found) != len(rows):
        raise ValueError(f"{DATA.name}: a municipality code is listed twice")
    return found


# Code -> name, in SCB's order (by county, then code).
MUNICIPALITIES: dict[str, str] = _load()

# Names that do not follow "<name> + genitive + kommun".
_OFFICIAL = {"0980": "Region Gotland", "2080": "Falu kommun"}


def is_code(value: object) -> bool:
    """Whether `value` is the code of a Swedish municipality, like "0380"."""
    return isinstance(value, str) and value in MUNICIPALITIES


def agency_id(code: str) -> str:
    """The agency id of the municipality with this code: `kommun_0380`."""
    if not is_code(code):
        raise ValueError(f"no municipality has the code {code!r}")
    return f"{PREFIX}{code}"


def code_of(agency: str) -> str | None:
    """The municipality code in an agency id, or None for another agency."""
    code = agency.removeprefix(PREFIX)
    return code if agency.startswith(PREFIX) and is_code(code) else None


def swedish_name(code: str) -> str:
    """The municipality's name as an authority: "Uppsala kommun", "Linköpings kommun"."""
    if code in _OFFICIAL:
        return _OFFICIAL[code]
    name = MUNICIPALITIES[code]
    genitive = name if name[-1] in "sxzaeiouyåäö" else f"{name}s"
    return f"{genitive} kommun"


def english_name(code: str) -> str:
    """The municipality's name in English: "Uppsala Municipality"."""
    return "Region Gotland" if code == "0980" else f"{MUNICIPALITIES[code]} Municipality"

"""`legal_basis` and `appeal` as a step declares them, checked when the definition loads."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

Text = Mapping[str, str]

BASIS_HELP = (
    "add 'legal_basis: consent' (the person agrees to each transfer) or "
    '\'legal_basis: {law: {sv: "<lag (SFS-nummer)>", en: "<the act, its number>"}}\' '
    "(a duty or permission in that law)"
)
APPEAL_HELP = (
    "a step an officer decides says how its decision is appealed: add 'appeal: {weeks: 3}' "
    "(förvaltningslagen 44 §: three weeks from the day the person learned of the decision)"
)


@dataclass(frozen=True)
class LegalBasis:
    """On what basis a step's fields go to its agency: the person's consent, or a law."""

    kind: Literal["consent", "law"]
    statute: Text | None = None  # the law, named, for `law`

    def as_dict(self) -> dict[str, Any]:
        """As the open API shows it."""
        return {"kind": self.kind, "statute": dict(self.statute) if self.statute else None}


@dataclass(frozen=True)
class Appeal:
    """How a decision against the person is appealed: within `weeks` of learning of it, to
    the agency that decided, under förvaltningslagen 44 §."""

    weeks: int = 3

    def as_dict(self) -> dict[str, Any]:
        """As the open API shows it."""
        return {"weeks": self.weeks, "law": "förvaltningslagen (2017:900) 44 §"}


Fail = Callable[[str, str], Exception]
ReadText = Callable[[Any, str], Text]


def parse_legal_basis(raw: Any, place: str, fail: Fail, text: ReadText) -> LegalBasis:
    """`consent`, or `{law: {sv, en}}` naming the statute."""
    if raw is None:
        needs = f"a step that sends fields needs a legal basis: {BASIS_HELP}"
        raise fail(f"{place}.legal_basis", needs)
    if raw == "consent":
        return LegalBasis("consent")
    if isinstance(raw, dict) and set(raw) == {"law"}:
        return LegalBasis("law", text(raw["law"], f"{place}.legal_basis.law"))
    raise fail(f"{place}.legal_basis", f"not a legal basis: {BASIS_HELP}")


def parse_appeal(raw: Any, place: str, fail: Fail, manual: bool) -> Appeal | None:
    """`{weeks: N}`; required of a step an officer decides."""
    if raw is None:
        if manual:
            raise fail(f"{place}.appeal", APPEAL_HELP)
        return None
    weeks = raw.get("weeks") if isinstance(raw, dict) and set(raw) <= {"weeks"} else None
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= 52:
        raise fail(f"{place}.appeal", APPEAL_HELP)
    return Appeal(weeks)

"""Small counts protected: which published figures are left out, and why none can be worked out.

The rule, as statistics offices apply it to tables with totals (SCB, ONS, Eurostat's handbook
on statistical disclosure control):

1. Primary suppression: a figure computed from fewer than `threshold` cases is left out.
   A count of zero describes no one and is published.
2. Secondary suppression, line by line: a line is a total and the figures it adds up (a
   month's life events and their total, a year's months and the year's total, a month's steps
   and the life event's steps done). A line with a figure left out must have at least two
   left out, and when its total is published, those left out must together count at least
   `threshold`, and more than there are of them (else their sum, the total minus the
   published figures, gives each a narrow range, or pins them all at one). Where a line
   falls short, its next-smallest published figure (above zero) is left out too, and the
   lines are gone through again until none falls short.
3. No figure left out may follow from the published figures by any combination of lines
   (totals minus published figures, differences between rows, and chains of them): that
   is checked by solving the lines as linear equations in exact arithmetic; a figure that
   the equations determine gets the next-smallest published figure of one of its lines left
   out beside it, until none is determined.

Figures released before are `fixed`: what was published stays published and what was left
out stays left out, so that two releases side by side reveal nothing either one does not.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

Key = Hashable
THRESHOLD = 10


@dataclass(frozen=True)
class Line:
    """A total and the figures that add up to it."""

    total: Key
    parts: tuple[Key, ...]

    @property
    def members(self) -> tuple[Key, ...]:
        """The parts and the total."""
        return (*self.parts, self.total)


def primary(value: float, base: int, threshold: int = THRESHOLD) -> bool:
    """Whether a figure must be left out by itself: computed from fewer than `threshold` cases.
    A count of zero (no cases) describes no one."""
    return value != 0 and base < threshold


def suppress(
    values: Mapping[Key, float],
    bases: Mapping[Key, int],
    lines: Iterable[Line],
    threshold: int = THRESHOLD,
    fixed: Mapping[Key, bool] | None = None,
) -> set[Key]:
    """The figures to leave out: those from too few cases, and those that would reveal them.

    `values` are the additive figures (counts), `bases` how many cases each is computed from,
    `lines` the totals published over them; `fixed` maps figures released before to whether
    they were left out then (they keep it).
    """
    table = _Table(
        values, [ln for ln in lines if all(m in values for m in ln.members)], fixed or {}
    )
    table.hidden = {
        key
        for key in values
        if table.fixed.get(key, False)
        or (key not in table.fixed and primary(values[key], bases[key], threshold))
    }
    while True:
        table.complete_lines(threshold)
        determined = determined_figures(table.hidden, table.lines)
        if not determined:
            return table.hidden
        extra = table.beside(determined)
        if extra is None:  # nothing left that may be left out: it stays as it is
            return table.hidden
        table.hidden.add(extra)


@dataclass
class _Table:
    """The figures, their lines, what was released before, and what is left out so far."""

    values: Mapping[Key, float]
    lines: list[Line]
    fixed: Mapping[Key, bool]
    hidden: set[Key] = field(default_factory=set)

    def smallest(self, candidates: Iterable[Key]) -> Key | None:
        """The smallest published figure above zero among `candidates` that may be left out."""
        open_ = {c for c in candidates if c not in self.fixed and c not in self.hidden}
        found = sorted(
            (c for c in open_ if self.values[c] > 0), key=lambda c: (self.values[c], repr(c))
        )
        return found[0] if found else None

    def short(self, line: Line, threshold: int) -> bool:
        """Whether a line with figures left out has too few of them, or too small a sum."""
        left_out = [m for m in line.members if m in self.hidden]
        if not left_out:
            return False
        if len(left_out) < 2:
            return True
        if line.total in self.hidden:
            return False
        # Each left out is at least 1 (zeros are published): a sum of k ones pins them all.
        hidden_sum = sum(self.values[m] for m in left_out)
        return hidden_sum < threshold or hidden_sum <= len(left_out)

    def complete_lines(self, threshold: int) -> None:
        """Leave out next-smallest figures until every line with one left out has enough."""
        changed = True
        while changed:
            changed = False
            for line in self.lines:
                while self.short(line, threshold):
                    extra = self.smallest(line.members)
                    if extra is None:
                        break
                    self.hidden.add(extra)
                    changed = True

    def beside(self, determined: set[Key]) -> Key | None:
        """The figure to leave out next to a determined one: the smallest published figure
        of one of its lines, or else of any line with a figure left out."""
        near = [m for ln in self.lines if determined & set(ln.members) for m in ln.members]
        extra = self.smallest(near)
        if extra is None:
            touched = [m for ln in self.lines if self.hidden & set(ln.members) for m in ln.members]
            extra = self.smallest(touched)
        return extra


def determined_figures(hidden: set[Key], lines: Iterable[Line]) -> set[Key]:
    """The figures left out that the published ones determine through the lines.

    Each line is an equation: its parts minus its total make zero. With the published
    figures moved to the right-hand side, a figure left out is determined exactly when its
    unit vector lies in the row space of the equations over the figures left out: when a
    row of their reduced row echelon form has it alone.
    """
    rows: list[dict[Key, Fraction]] = []
    for line in lines:
        row: dict[Key, Fraction] = {}
        for part in line.parts:
            if part in hidden:
                row[part] = row.get(part, Fraction(0)) + 1
        if line.total in hidden:
            row[line.total] = row.get(line.total, Fraction(0)) - 1
        row = {key: value for key, value in row.items() if value}
        if row:
            rows.append(row)
    return {next(iter(row)) for row in _reduced(rows) if len(row) == 1}


def _minus(
    row: dict[Key, Fraction], factor: Fraction, other: dict[Key, Fraction]
) -> dict[Key, Fraction]:
    """`row - factor * other`, without the zeros."""
    result = dict(row)
    for key, value in other.items():
        result[key] = result.get(key, Fraction(0)) - factor * value
    return {key: value for key, value in result.items() if value}


def _reduced(rows: list[dict[Key, Fraction]]) -> list[dict[Key, Fraction]]:
    """The rows in reduced row echelon form (sparse rows, exact arithmetic)."""
    reduced: list[tuple[Key, dict[Key, Fraction]]] = []  # (pivot, row)
    for row in rows:
        for pivot, other in reduced:  # without the pivots found so far
            if row.get(pivot):
                row = _minus(row, row[pivot], other)
        if not row:
            continue
        pivot = min(row, key=repr)
        row = {key: value / row[pivot] for key, value in row.items()}
        for index, (other_pivot, other) in enumerate(reduced):  # and the new one from the others
            if other.get(pivot):
                reduced[index] = (other_pivot, _minus(other, other[pivot], row))
        reduced.append((pivot, row))
    return [row for _pivot, row in reduced]

"""Property: whatever the counts, no figure left out can be worked out from what is published.

Hypothesis makes the counts of life events over months (with the totals over life events, a
whole year's totals when the year is over, and each month's steps with their total), releases
them in two rounds as the roll-up does, and an attacker tries to recover a figure left out:
a total minus the published figures of its line, sums and differences of two lines, chains of
figures so recovered, any linear combination of the lines (solved here with its own exact
elimination), and the sum of a line's hidden figures when each is known to be at least one.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workflows.statistics import Figure, FigureKey, protect
from workflows.statistics.figures import CASE_COUNTS

MEASURE = CASE_COUNTS[0]
count = st.one_of(st.integers(0, 12), st.integers(0, 60), st.integers(0, 400))


@st.composite
def tables(draw: st.DrawFn) -> tuple[dict[FigureKey, Figure], list[str], list[str]]:
    """Counts per life event and month, with every total the statistics publish."""
    events = [f"e{i}" for i in range(draw(st.integers(1, 4)))]
    months = [f"2025-{m:02d}" for m in range(1, draw(st.integers(1, 12)) + 1)]
    figures: dict[FigureKey, Figure] = {}
    for month in months:
        for event in events:
            value = draw(count)
            figures[FigureKey(event, month, MEASURE)] = Figure(value, value)
            steps = draw(st.lists(count, min_size=0, max_size=3))
            for index, done in enumerate(steps):
                figures[FigureKey(event, month, "done", f"s{index}", "a")] = Figure(done, done)
            if steps:
                total = sum(steps)
                figures[FigureKey(event, month, "steps_done")] = Figure(total, max(steps))
        total = sum(int(figures[FigureKey(e, month, MEASURE)].value or 0) for e in events)
        figures[FigureKey("all", month, MEASURE)] = Figure(total, total)
    if len(months) == 12:
        for event in [*events, "all"]:
            total = sum(int(figures[FigureKey(event, m, MEASURE)].value or 0) for m in months)
            figures[FigureKey(event, "2025", MEASURE)] = Figure(total, total)
    return figures, events, months


def equations(
    figures: dict[FigureKey, Figure], events: list[str], months: list[str]
) -> list[dict[FigureKey, int]]:
    """What the attacker knows adds up: each a map of figure to coefficient, summing to 0."""
    found = []
    periods = months + (["2025"] if FigureKey("all", "2025", MEASURE) in figures else [])
    for period in periods:
        row = {FigureKey(e, period, MEASURE): 1 for e in events}
        found.append(row | {FigureKey("all", period, MEASURE): -1})
    if "2025" in periods:
        for event in [*events, "all"]:
            row = {FigureKey(event, m, MEASURE): 1 for m in months}
            found.append(row | {FigureKey(event, "2025", MEASURE): -1})
    for month in months:
        for event in events:
            steps = [
                k
                for k in figures
                if k.measure == "done" and (k.life_event, k.period) == (event, month)
            ]
            if steps:
                found.append({k: 1 for k in steps} | {FigureKey(event, month, "steps_done"): -1})
    return found


def attack(
    figures: dict[FigureKey, Figure], hidden: set[FigureKey], rows: list[dict[FigureKey, int]]
) -> set[FigureKey]:
    """Every hidden figure the attacker recovers exactly."""
    known = {k: Fraction(int(f.value or 0)) for k, f in figures.items() if k not in hidden}
    recovered: set[FigureKey] = set()

    def unknowns(row: dict[FigureKey, int]) -> dict[FigureKey, int]:
        return {k: c for k, c in row.items() if c and k not in known}

    # Totals minus published figures, and chains of what that recovers.
    progress = True
    while progress:
        progress = False
        for row in rows:
            left = unknowns(row)
            if len(left) == 1:
                ((key, coefficient),) = left.items()
                rest = sum(c * known[k] for k, c in row.items() if k != key)
                known[key] = -rest / coefficient
                recovered.add(key)
                progress = True
    # Sums and differences of two lines.
    for first, second in combinations(rows, 2):
        for sign in (1, -1):
            combined = dict(first)
            for key, coefficient in second.items():
                combined[key] = combined.get(key, 0) + sign * coefficient
            if len(unknowns(combined)) == 1:
                recovered |= set(unknowns(combined))
    # Any linear combination: eliminate over the unknowns, look for a row with one left.
    recovered |= _pinned_by_elimination(rows, set(known))
    # Each hidden count is at least one (zeros are published): k of them summing to k.
    for row in rows:
        left = unknowns(row)
        published_total = [k for k, c in row.items() if c == -1 and k in known]
        if left and published_total and all(c == 1 for c in left.values()):
            rest = -sum(c * known[k] for k, c in row.items() if k in known)
            if rest == len(left):
                recovered |= set(left)
    return recovered & hidden


def _pinned_by_elimination(
    rows: list[dict[FigureKey, int]], known: set[FigureKey]
) -> set[FigureKey]:
    columns = sorted({k for row in rows for k in row if k not in known})
    matrix = [[Fraction(row.get(k, 0)) for k in columns] for row in rows]
    matrix = [r for r in matrix if any(r)]
    pivot_row = 0
    for column in range(len(columns)):
        chosen = next((i for i in range(pivot_row, len(matrix)) if matrix[i][column]), None)
        if chosen is None:
            continue
        matrix[pivot_row], matrix[chosen] = matrix[chosen], matrix[pivot_row]
        lead = matrix[pivot_row][column]
        matrix[pivot_row] = [v / lead for v in matrix[pivot_row]]
        for i in range(len(matrix)):
            if i != pivot_row and matrix[i][column]:
                factor = matrix[i][column]
                matrix[i] = [
                    a - factor * b for a, b in zip(matrix[i], matrix[pivot_row], strict=True)
                ]
        pivot_row += 1
    return {
        columns[next(i for i, v in enumerate(r) if v)]
        for r in matrix
        if sum(1 for v in r if v) == 1
    }


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_no_figure_left_out_can_be_worked_out(
    table: tuple[dict[FigureKey, Figure], list[str], list[str]],
) -> None:
    figures, events, months = table
    # Released as the roll-up does: every month but the last first, then the last (and the
    # year, when it is the twelfth), with the first release's choices kept.
    first = {k: f for k, f in figures.items() if k.period in months[:-1]}
    before = protect(first, {})
    fixed = {k: k in before for k in first}
    hidden = protect(figures, fixed)
    assert all((k in hidden) == fixed[k] for k in first), "a release changed what was released"
    small = {k for k, f in figures.items() if (f.value or 0) > 0 and f.base < 10}
    assert small <= hidden
    assert attack(figures, hidden, equations(figures, events, months)) == set()


def test_the_attacker_recovers_a_small_count_left_out_alone() -> None:
    figures = {
        FigureKey("e0", "2025-01", MEASURE): Figure(4, 4),
        FigureKey("e1", "2025-01", MEASURE): Figure(30, 30),
        FigureKey("all", "2025-01", MEASURE): Figure(34, 34),
    }
    rows = equations(figures, ["e0", "e1"], ["2025-01"])
    alone = {FigureKey("e0", "2025-01", MEASURE)}
    assert attack(figures, alone, rows) == alone  # what primary suppression alone would leak
    assert attack(figures, protect(figures, {}), rows) == set()


def test_the_attacker_recovers_a_figure_through_a_chain_of_lines() -> None:
    # Hidden in pairs within each line, yet the bridge between two blocks is determined.
    figures: dict[FigureKey, Figure] = {}
    for event in range(4):
        for month in range(1, 13):
            figures[FigureKey(f"e{event}", f"2025-{month:02d}", MEASURE)] = Figure(20, 20)
    for month in range(1, 13):
        figures[FigureKey("all", f"2025-{month:02d}", MEASURE)] = Figure(80, 80)
    for event in ["e0", "e1", "e2", "e3", "all"]:
        total = 240 if event != "all" else 960
        figures[FigureKey(event, "2025", MEASURE)] = Figure(total, total)
    cells = [(0, 1), (0, 2), (1, 1), (1, 2), (2, 3), (2, 4), (3, 3), (3, 4), (0, 3)]
    hidden = {FigureKey(f"e{e}", f"2025-{m:02d}", MEASURE) for e, m in cells}
    rows = equations(figures, ["e0", "e1", "e2", "e3"], [f"2025-{m:02d}" for m in range(1, 13)])
    assert attack(figures, hidden, rows) == {FigureKey("e0", "2025-03", MEASURE)}

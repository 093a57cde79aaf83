"""The rule that protects small counts, case by case: primary, secondary, across releases."""

from __future__ import annotations

from workflows.statistics import Figure, FigureKey, Line, determined_figures, protect, suppress
from workflows.statistics.figures import lines_of


def _table(rows: dict[str, list[int]]) -> tuple[dict[str, int], list[Line]]:
    """A table of rows with a total per row and per column and a grand total: cells named
    `row:column`, totals `row:T`, `T:column` and `T:T`."""
    values: dict[str, int] = {}
    columns = len(next(iter(rows.values())))
    for row, cells in rows.items():
        for column, value in enumerate(cells):
            values[f"{row}:{column}"] = value
        values[f"{row}:T"] = sum(cells)
    for column in range(columns):
        values[f"T:{column}"] = sum(cells[column] for cells in rows.values())
    values["T:T"] = sum(values[f"{row}:T"] for row in rows)
    lines = [Line(f"{row}:T", tuple(f"{row}:{c}" for c in range(columns))) for row in [*rows, "T"]]
    lines += [Line(f"T:{c}", tuple(f"{row}:{c}" for row in rows)) for c in [*range(columns), "T"]]
    return values, lines


def _hidden(values: dict[str, int], lines: list[Line], **kwargs: object) -> set[str]:
    return suppress(values, dict(values), lines, **kwargs)  # type: ignore[arg-type, return-value]


def test_a_count_below_ten_is_left_out_and_ten_and_zero_are_published() -> None:
    values = {"a": 9, "b": 10, "c": 0}
    assert _hidden(values, []) == {"a"}


def test_a_line_with_one_figure_left_out_loses_its_next_smallest_above_zero() -> None:
    values, lines = _table({"x": [3, 0, 40, 25], "y": [30, 50, 60, 70]})
    hidden = _hidden(values, lines)
    assert "x:0" in hidden  # the small one
    assert "x:3" in hidden  # next-smallest in its row above zero (25), not the zero beside it
    assert "x:1" not in hidden
    assert "y:0" in hidden and "y:3" in hidden  # its columns' partners, so the columns hold too
    for line in lines:
        left_out = [m for m in line.members if m in hidden]
        assert len(left_out) != 1, line


def test_those_left_out_in_a_line_count_at_least_ten_together() -> None:
    values, lines = _table({"x": [2, 3, 40, 50], "y": [30, 31, 60, 70]})
    hidden = _hidden(values, lines)
    row = [m for m in lines[0].parts if m in hidden]
    assert sum(values[m] for m in row) >= 10
    assert "x:2" in hidden  # 2 + 3 is too little: the next-smallest goes too


def test_several_ones_left_out_are_not_pinned_by_their_sum() -> None:
    # Ten ones add up to ten: were only they left out, each would be known to be one.
    values = {f"p{i}": 1 for i in range(10)} | {"big": 50, "total": 60}
    lines = [Line("total", (*(f"p{i}" for i in range(10)), "big"))]
    hidden = _hidden(values, lines)
    assert "big" in hidden


def test_a_figure_that_differences_of_lines_determine_is_protected() -> None:
    # Two blocks of four left out, joined by one more: rows 0-1 x columns 0-1 and rows 2-3 x
    # columns 2-3, and cell (0, 2). Every line has two or more left out, yet cell (0, 2) is
    # row 0 plus row 1 minus column 0 minus column 1.
    left_out = {"r0:0", "r0:1", "r1:0", "r1:1", "r2:2", "r2:3", "r3:2", "r3:3", "r0:2"}
    _values, lines = _table({f"r{i}": [20] * 5 for i in range(4)})
    assert determined_figures(left_out, lines) == {"r0:2"}


def test_suppression_leaves_nothing_determined_in_that_pattern() -> None:
    values, lines = _table(
        {"r0": [5, 6, 7, 30, 40], "r1": [8, 4, 35, 50, 45], "r2": [30, 40, 3, 2, 60]}
    )
    hidden = _hidden(values, lines)
    assert {"r0:0", "r0:1", "r0:2", "r1:0", "r1:1", "r2:2", "r2:3"} <= hidden
    assert determined_figures(hidden, lines) == set()


def test_what_an_earlier_release_published_stays_and_what_it_left_out_stays_out() -> None:
    values, lines = _table({"x": [3, 40, 25], "y": [30, 50, 60]})
    fixed = {"x:0": True, "y:0": True, "x:1": False, "y:1": False, "T:0": False, "T:1": False}
    hidden = _hidden(values, lines, fixed=fixed)
    assert {"x:0", "y:0"} <= hidden
    assert not {"x:1", "y:1", "T:0", "T:1"} & hidden
    assert {"x:2", "y:2"} <= hidden  # the new column protects the old: x:0 with x:2
    assert determined_figures(hidden, lines) == set()


def _key(measure: str, life_event: str = "moving", period: str = "2025-03") -> FigureKey:
    return FigureKey(life_event, period, measure)


def test_shares_means_and_times_from_fewer_than_ten_cases_are_left_out() -> None:
    figures = {
        _key("automated_share"): Figure(0.5, 9),
        _key("ease_mean"): Figure(4.2, 10),
        FigureKey("moving", "2025-03", "median_seconds", "address", "skatteverket"): Figure(60, 3),
        _key("steps_failed"): Figure(12, 4),  # twelve steps, but of four cases
        _key("steps_retried"): Figure(0, 0),
        _key("feedback_responses"): Figure(0, 0),
    }
    hidden = protect(figures, {})
    assert hidden == {
        _key("automated_share"),
        FigureKey("moving", "2025-03", "median_seconds", "address", "skatteverket"),
        _key("steps_failed"),
    }


def test_a_share_of_nothing_has_no_value_and_is_not_called_small() -> None:
    assert protect({_key("automated_share"): Figure(None, 0)}, {}) == set()


def test_the_lines_are_each_periods_life_events_each_years_months_and_each_months_steps() -> None:
    keys = [
        _key("submitted", "moving", "2025-12"),
        _key("submitted", "new-baby", "2025-12"),
        _key("submitted", "all", "2025-12"),
        _key("submitted", "moving", "2025"),
        _key("steps_done", "moving", "2025-12"),
        FigureKey("moving", "2025-12", "done", "address", "skatteverket"),
        FigureKey("moving", "2025-12", "done", "school", "kommun_0380"),
    ]
    lines = {(line.total, line.parts) for line in lines_of(keys)}
    assert (keys[2], (keys[0], keys[1])) in lines
    assert (keys[3], (keys[0],)) in lines  # the year's months (one released so far)
    assert (keys[4], (keys[5], keys[6])) in lines

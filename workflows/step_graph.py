"""The steps of a life event as a graph of dependencies: cycles, and what reaches each step."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .declarations import Step


def dependency_cycle(steps: Sequence[Step]) -> list[str] | None:
    """The first dependency cycle met, as the step ids around it (the first repeated last)."""
    by_id = {step.id: step for step in steps}
    state: dict[str, str] = {}

    def visit(step_id: str, path: list[str]) -> list[str] | None:
        if state.get(step_id) == "done":
            return None
        if state.get(step_id) == "visiting":
            return [*path[path.index(step_id) :], step_id]
        state[step_id] = "visiting"
        for dependency in by_id[step_id].depends_on:
            cycle = visit(dependency, [*path, step_id])
            if cycle is not None:
                return cycle
        state[step_id] = "done"
        return None

    for step in steps:
        cycle = visit(step.id, [])
        if cycle is not None:
            return cycle
    return None


def produced_upstream(step: Step, by_id: Mapping[str, Step]) -> set[str]:
    """What the steps `step` depends on, directly or further up, produce (no cycles, please)."""
    produced: set[str] = set()
    pending = list(step.depends_on)
    while pending:
        upstream = by_id[pending.pop()]
        produced |= set(upstream.produces)
        pending.extend(upstream.depends_on)
    return produced


def unknown_field(steps: Sequence[Step], known: set[str]) -> tuple[int, Step, str] | None:
    """The first field a step asks for that is neither `known` nor produced before it, with
    the step and its index."""
    by_id = {step.id: step for step in steps}
    for index, step in enumerate(steps):
        allowed = known | produced_upstream(step, by_id)
        for name in step.fields:
            if name not in allowed:
                return index, step, name
    return None

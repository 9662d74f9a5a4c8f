"""ARC Prize scoring: exact match (shape first), two attempts per test input, a task scores the
fraction of its test inputs solved."""

from __future__ import annotations

from dsl.grid import Grid, grids_equal
from dsl.task import Task


def attempt_correct(attempts: list[Grid], expected: Grid) -> bool:
    return any(grids_equal(a, expected) for a in attempts)


def correct_per_test(task: Task, attempts: list[list[Grid]]) -> list[bool] | None:
    """One boolean per test input, or None when the task has no test outputs."""
    if not task.test_outputs_known:
        return None
    return [
        attempt_correct(attempts[i] if i < len(attempts) else [], pair.output)  # type: ignore[arg-type]
        for i, pair in enumerate(task.test)
    ]


def task_score(correct: list[bool] | None) -> float | None:
    if correct is None:
        return None
    return sum(correct) / len(correct)

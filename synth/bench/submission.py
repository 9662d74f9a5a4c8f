"""`submission.json` in the ARC Prize format: {task_id: [{"attempt_1": G, "attempt_2": G}, ...]}.

With several solvers the attempts are pooled in `--solvers` order (first two distinct grids per test
input), which is what a user would submit from this run; every slot is filled ([[0]] when empty)
because the format requires both attempts.
"""

from __future__ import annotations

from typing import Any

from dsl.task import Task
from synth.bench.results import Row, RowKey

EMPTY_GRID = [[0]]


def pooled_attempts(task: Task, rows_for_task: list[Row]) -> list[list[list[list[int]]]]:
    """Per test input, up to two distinct grids, taken from the rows in the order given."""
    pooled: list[list[list[list[int]]]] = [[] for _ in task.test]
    for row in rows_for_task:
        for i, per_test in enumerate(row["attempts"][: len(task.test)]):
            for grid in per_test:
                if grid not in pooled[i] and len(pooled[i]) < 2:
                    pooled[i].append(grid)
    return pooled


def build_submission(tasks: list[Task], rows: dict[RowKey, Row], solvers: list[str]) -> dict[str, Any]:
    submission: dict[str, Any] = {}
    for task in tasks:
        found = [rows[k] for k in ((task.category, task.id, s) for s in solvers) if k in rows]
        pooled = pooled_attempts(task, [r for r in found if r["status"] == "ok"])
        submission[task.id] = [
            {"attempt_1": (p + [EMPTY_GRID, EMPTY_GRID])[0], "attempt_2": (p + [EMPTY_GRID, EMPTY_GRID])[1]}
            for p in pooled
        ]
    return submission

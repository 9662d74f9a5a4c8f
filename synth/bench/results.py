"""Result rows and `results.jsonl`, the run's only state.

A row is appended, flushed and fsynced as each job finishes, so a run killed at any moment (even
`kill -9`) loses only the rows in flight. Reopening the log keeps every complete row, drops a torn
last line (cut back to the last newline so the next append starts clean) and skips any other line
that does not parse. A key written twice (a retried error) keeps its last row.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from dsl.grid import make_grid
from dsl.task import Task
from synth.bench.jobs import Outcome
from synth.scoring import correct_per_test, task_score
from synth.sources import BadTask

Row = dict[str, Any]
RowKey = tuple[str, str, str]  # (category, task, solver)
MAX_PROGRAMS_KEPT = 3


def row_key(row: Row) -> RowKey:
    return (row["category"], row["task"], row["solver"])


# Row fields that measure the run rather than the answer: they differ between identical runs.
MEASURED_FIELDS = ("seconds", "peak_rss_mb")


def build_row(task: Task, solver: str, outcome: Outcome) -> Row:
    """Score an outcome against the task's test outputs and place it in the funnel."""
    attempts = [[make_grid(g) for g in per_test] for per_test in outcome.attempts]
    correct = correct_per_test(task, attempts) if outcome.status == "ok" else None
    if outcome.status == "ok" and not task.test_outputs_known:
        score = None
    elif correct is None:
        score = 0.0 if task.test_outputs_known else None
    else:
        score = task_score(correct)
    funnel = {
        "shape_ok": _shape_ok(task, attempts, outcome.stats),
        "candidate": _candidate_found(outcome.programs, outcome.stats),
        "correct": bool(correct) and all(correct),
    }
    return {
        "task": task.id,
        "category": task.category,
        "solver": solver,
        "status": outcome.status,
        "score": score,
        "correct": correct,
        "test_outputs": len(task.test),
        "solved_outputs": sum(correct) if correct else 0,
        "attempts": outcome.attempts,
        "program": outcome.programs[0] if outcome.programs else None,
        "programs": outcome.programs[:MAX_PROGRAMS_KEPT],
        "seconds": round(outcome.seconds, 3),
        "peak_rss_mb": outcome.peak_rss_mb,
        "verdict": _verdict(outcome, funnel, correct),
        "funnel": funnel,
        "error": outcome.error,
        "stats": outcome.stats,
    }


def bad_task_row(bad: BadTask, solver: str) -> Row:
    """A malformed task file: an error row for every solver, so it counts against each of them."""
    outcome = Outcome("error", error=bad.error)
    return {
        "task": bad.id,
        "category": bad.category,
        "solver": solver,
        "status": "error",
        "score": 0.0,
        "correct": None,
        "test_outputs": 0,
        "solved_outputs": 0,
        "attempts": [],
        "program": None,
        "programs": [],
        "seconds": 0.0,
        "verdict": "error",
        "funnel": {"shape_ok": False, "candidate": False, "correct": False},
        "error": outcome.error,
        "stats": {},
    }


def _shape_ok(task: Task, attempts: list[list[Any]], stats: dict[str, Any]) -> bool:
    """Every test input has an attempt of the expected shape; without attempts, the solver's own
    `predicted_shapes` are compared, or its `shape_ok` flag is taken."""
    if not task.test_outputs_known:
        return bool(stats.get("shape_ok", False))
    expected = [tuple(p.output.shape) for p in task.test]  # type: ignore[union-attr]
    if any(attempts):
        return all(
            any(a.shape == shape for a in (attempts[i] if i < len(attempts) else []))
            for i, shape in enumerate(expected)
        )
    predicted = stats.get("predicted_shapes")
    if isinstance(predicted, list) and len(predicted) == len(expected):
        return all(p is not None and tuple(p) == shape for p, shape in zip(predicted, expected, strict=True))
    return bool(stats.get("shape_ok", False))


def _candidate_found(programs: list[str], stats: dict[str, Any]) -> bool:
    """A train-consistent program: the solver's count when it reports one (a search may return
    programs that fit only some pairs as a fallback), else any program at all."""
    if "candidates_found" in stats:
        return bool(stats["candidates_found"])
    if "train_consistent" in stats:
        return bool(stats["train_consistent"])
    return bool(programs)


def _verdict(outcome: Outcome, funnel: dict[str, bool], correct: list[bool] | None) -> str:
    """The furthest funnel stage the row reached."""
    if outcome.status != "ok":
        return outcome.status
    if not any(outcome.attempts):
        return "no_answer"
    if correct is None:
        return "unscored"
    if all(correct):
        return "correct"
    if any(correct):
        return "partly_correct"
    if funnel["candidate"]:
        return "candidate_wrong"
    return "shape_right" if funnel["shape_ok"] else "shape_wrong"


class ResultsLog:
    """The append-only `results.jsonl` of one run directory."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows: dict[RowKey, Row] = {}
        self.skipped_lines = 0
        if path.exists():
            self._load()

    def _load(self) -> None:
        data = self.path.read_bytes()
        if data and not data.endswith(b"\n"):  # torn by a kill mid-write: cut it off
            data = data[: data.rfind(b"\n") + 1]
            with open(self.path, "r+b") as f:
                f.truncate(len(data))
            self.skipped_lines += 1
        for line in data.splitlines():
            try:
                row = json.loads(line)
                key = row_key(row)
            except (ValueError, KeyError, TypeError):
                self.skipped_lines += 1
                continue
            self.rows[key] = row

    def __contains__(self, key: RowKey) -> bool:
        return key in self.rows

    def append(self, row: Row) -> None:
        line = json.dumps(row, separators=(",", ":")) + "\n"
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(line)
            f.flush()
            os.fsync(f.fileno())
        self.rows[row_key(row)] = row

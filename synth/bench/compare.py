"""`synth bench compare RUN_A RUN_B`: what changed between two bench runs, per solver.

Both folders are read, never written: each must hold `results.jsonl` (the rows, the source of every
figure here) and, when the run finished, `summary.json` (which solvers the run was asked for). For
each solver: tasks solved in B but not A (gained) and the reverse (lost), score and solved-count
deltas over the tasks both runs hold, median and total seconds, and tasks only one run holds.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synth.bench.results import Row, row_key
from synth.bench.summary import TaskKey, task_label
from synth.errors import UserError

ROW_FIELDS = ("task", "category", "solver", "score", "seconds", "status")
LISTED = 20  # task ids shown per list in the table and Markdown outputs


@dataclass(frozen=True)
class Run:
    path: Path
    solvers: list[str]
    rows: dict[str, dict[TaskKey, Row]]  # solver -> task -> row


def load_run(path: Path) -> Run:
    """A run folder's rows by solver and task; a missing, foreign or corrupt folder is a UserError."""
    if not path.is_dir():
        raise UserError(f"{path}: no such run folder")
    results = path / "results.jsonl"
    if not results.is_file():
        raise UserError(f"{path}: not a bench run folder (no results.jsonl)")
    rows: dict[str, dict[TaskKey, Row]] = {}
    for number, line in _lines(results):
        try:
            row = json.loads(line)
            missing = [f for f in ROW_FIELDS if f not in row]
        except (ValueError, TypeError):
            row, missing = None, ["valid JSON"]
        if not isinstance(row, dict) or missing:
            raise UserError(f"{results}:{number}: corrupt row (no {missing[0] if missing else 'object'})")
        category, task, solver = row_key(row)
        rows.setdefault(solver, {})[(category, task)] = row  # a key written twice keeps its last row
    solvers = _summary_solvers(path / "summary.json") or list(rows)
    return Run(path, solvers, rows)


def _lines(path: Path) -> list[tuple[int, str]]:
    """Numbered non-empty lines; a torn last line (a run killed mid-write) is dropped, as the bench
    itself would on resume."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise UserError(f"{path}: cannot read ({e.__class__.__name__})") from None
    lines = text.split("\n")
    if lines and lines[-1]:  # no newline at the end: torn
        lines[-1] = ""
    return [(i + 1, line) for i, line in enumerate(lines) if line.strip()]


def _summary_solvers(path: Path) -> list[str]:
    if not path.exists():
        return []
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
        return list(summary["by_solver"])
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise UserError(f"{path}: corrupt summary (not a bench summary.json)") from None


def _figures(rows: list[Row]) -> dict[str, Any]:
    scored = [r["score"] for r in rows if r["score"] is not None]
    seconds = [float(r["seconds"] or 0.0) for r in rows]
    return {
        "tasks": len(rows),
        "score": round(sum(scored) / len(scored), 4) if scored else 0.0,
        "solved": sum(1 for s in scored if s == 1.0),
        "errors": sum(1 for r in rows if r["status"] != "ok"),
        "median_seconds": round(statistics.median(seconds), 3) if seconds else 0.0,
        "total_seconds": round(sum(seconds), 3),
    }


def compare_solver(a: dict[TaskKey, Row] | None, b: dict[TaskKey, Row] | None) -> dict[str, Any]:
    """One solver's change from run A to run B; a solver missing from a run has no figures there."""
    a, b = a or {}, b or {}
    common = sorted(set(a) & set(b))
    before, after = [a[k] for k in common], [b[k] for k in common]
    fa, fb = _figures(before), _figures(after)

    def labels(keys: Any) -> list[str]:
        return sorted(task_label(k) for k in keys)

    return {
        "a": _figures(list(a.values())) if a else None,
        "b": _figures(list(b.values())) if b else None,
        "common_tasks": len(common),
        "score_delta": round(fb["score"] - fa["score"], 4),
        "solved_delta": fb["solved"] - fa["solved"],
        "median_seconds_delta": round(fb["median_seconds"] - fa["median_seconds"], 3),
        "total_seconds_delta": round(fb["total_seconds"] - fa["total_seconds"], 3),
        "gained": labels(k for k in common if b[k]["score"] == 1.0 and a[k]["score"] != 1.0),
        "lost": labels(k for k in common if a[k]["score"] == 1.0 and b[k]["score"] != 1.0),
        "only_in_a": labels(set(a) - set(b)),
        "only_in_b": labels(set(b) - set(a)),
    }


def compare_runs(run_a: Run, run_b: Run) -> dict[str, Any]:
    solvers = list(dict.fromkeys([*run_a.solvers, *run_b.solvers]))
    return {
        "a": str(run_a.path),
        "b": str(run_b.path),
        "solvers": {s: compare_solver(run_a.rows.get(s), run_b.rows.get(s)) for s in solvers},
    }


def _signed(value: float, digits: int) -> str:
    return f"{value:+.{digits}f}"


def _side(figures: dict[str, Any] | None, key: str, digits: int) -> str:
    return "-" if figures is None else f"{figures[key]:.{digits}f}" if digits else str(figures[key])


def _arrow(a: dict[str, Any] | None, b: dict[str, Any] | None, key: str, digits: int) -> str:
    return f"{_side(a, key, digits)} → {_side(b, key, digits)}"


def table_rows(comparison: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """The headline table shared by the terminal and Markdown outputs."""
    header = ["solver", "tasks A/B/both", "score A → B", "Δ score", "solved A → B", "gained", "lost",
              "median s A → B", "Δ median s", "Δ total s"]  # fmt: skip
    rows = []
    for name, c in comparison["solvers"].items():
        a, b = c["a"], c["b"]
        rows.append(
            [
                name,
                f"{_side(a, 'tasks', 0)}/{_side(b, 'tasks', 0)}/{c['common_tasks']}",
                _arrow(a, b, "score", 3),
                _signed(c["score_delta"], 3) if c["common_tasks"] else "-",
                _arrow(a, b, "solved", 0),
                str(len(c["gained"])),
                str(len(c["lost"])),
                _arrow(a, b, "median_seconds", 2),
                _signed(c["median_seconds_delta"], 2) if c["common_tasks"] else "-",
                _signed(c["total_seconds_delta"], 1) if c["common_tasks"] else "-",
            ]
        )
    return header, rows


def task_lists(comparison: dict[str, Any], shown: int = LISTED) -> list[str]:
    """`solver gained (N): a, b` lines for every non-empty list, at most `shown` ids each (--json
    has them all)."""
    lines = []
    for name, c in comparison["solvers"].items():
        for key, label in (("gained", "gained"), ("lost", "lost"), ("only_in_a", "only in A"),
                           ("only_in_b", "only in B")):  # fmt: skip
            ids = c[key]
            if ids:
                more = f", … {len(ids) - shown} more" if len(ids) > shown else ""
                lines.append(f"{name} {label} ({len(ids)}): {', '.join(ids[:shown])}{more}")
    return lines


def to_markdown(comparison: dict[str, Any]) -> str:
    header, rows = table_rows(comparison)
    lines = [
        f"A: `{comparison['a']}`, B: `{comparison['b']}`; Δ over the tasks both runs hold.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
        *("| " + " | ".join(r) + " |" for r in rows),
    ]
    details = task_lists(comparison)
    if details:
        lines += ["", *(f"- {d}" for d in details)]
    return "\n".join(lines) + "\n"


def print_table(comparison: dict[str, Any]) -> None:
    from rich.table import Table

    from synth.terminal import make_console

    header, rows = table_rows(comparison)
    table = Table(title=f"A: {comparison['a']}  →  B: {comparison['b']}")
    for i, column in enumerate(header):
        table.add_column(column, justify="left" if i == 0 else "right", overflow="fold")
    for row in rows:
        table.add_row(*row)
    console = make_console()
    if not console.is_terminal:  # a pipe or a file: no width to fit, so never cut a figure
        console.width = 200
    console.print(table)
    for line in task_lists(comparison) or ["no task gained or lost; both runs hold the same tasks"]:
        console.print(line)

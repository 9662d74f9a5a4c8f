"""From result rows to `summary.json` and `summary.md`: per-solver scores (ARC Prize: mean task
score, plus the Kaggle count of solved test outputs), overlap, unique solves, per category, funnel."""

from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Any

from synth.bench.results import Row

TaskKey = tuple[str, str]  # (category, task)


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def task_label(key: TaskKey) -> str:
    category, task = key
    return f"{category}/{task}" if category else task


def solved_tasks(rows: list[Row]) -> dict[str, set[TaskKey]]:
    """Per solver, the tasks with every test output right."""
    solved: dict[str, set[TaskKey]] = defaultdict(set)
    for row in rows:
        if row["score"] == 1.0:
            solved[row["solver"]].add((row["category"], row["task"]))
    return solved


def solver_summary(rows: list[Row]) -> dict[str, Any]:
    """One solver's figures; unscored rows (test outputs unknown) count as tasks but not in the score."""
    scored = [r["score"] for r in rows if r["score"] is not None]
    by_category: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_category[row["category"]].append(row)
    ran = [r["seconds"] for r in rows if r["status"] != "error" or r["seconds"]]
    return {
        "tasks": len(rows),
        "score": round(_mean(scored), 4),
        "solved_tasks": sum(1 for s in scored if s == 1.0),
        "test_outputs": sum(r["test_outputs"] for r in rows),
        "solved_outputs": sum(r["solved_outputs"] for r in rows),
        "errors": sum(1 for r in rows if r["status"] == "error"),
        "timeouts": sum(1 for r in rows if r["status"] == "timeout"),
        "median_seconds": round(statistics.median(ran), 3) if ran else 0.0,
        "peak_rss_mb": max((r.get("peak_rss_mb", 0.0) for r in rows), default=0.0),
        "by_category": {
            cat: {
                "tasks": len(rs),
                "score": round(_mean([r["score"] for r in rs if r["score"] is not None]), 4),
            }
            for cat, rs in sorted(by_category.items())
        },
        "funnel": {
            "tasks": len(rows),
            "shape_ok": sum(1 for r in rows if r["funnel"]["shape_ok"]),
            "candidate": sum(1 for r in rows if r["funnel"]["candidate"]),
            "correct": sum(1 for r in rows if r["funnel"]["correct"]),
        },
    }


def summarize(rows: list[Row], solvers: list[str]) -> dict[str, Any]:
    by_solver_rows: dict[str, list[Row]] = {name: [] for name in solvers}
    for row in rows:
        by_solver_rows.setdefault(row["solver"], []).append(row)
    solved = solved_tasks(rows)
    names = list(by_solver_rows)
    unique_tasks = {
        a: sorted(task_label(k) for k in solved[a] - set().union(*(solved[b] for b in names if b != a)))
        for a in names
    }
    return {
        "by_solver": {name: solver_summary(rs) for name, rs in by_solver_rows.items()},
        "overlap": {a: {b: len(solved[a] & solved[b]) for b in names} for a in names},
        "unique": {a: len(unique_tasks[a]) for a in names},
        "unique_tasks": unique_tasks,
    }


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def comparison_table(summary: dict[str, Any]) -> str:
    rows = [
        [
            name,
            s["tasks"],
            f"{s['score']:.3f}",
            s["solved_tasks"],
            f"{s['solved_outputs']}/{s['test_outputs']}",
            s["errors"],
            s["timeouts"],
            f"{s['median_seconds']:.2f}",
        ]
        for name, s in summary["by_solver"].items()
    ]
    header = ["solver", "tasks", "score", "solved tasks", "solved outputs", "errors", "timeouts", "median s"]
    return _table(header, rows)


def to_markdown(summary: dict[str, Any]) -> str:
    names = list(summary["by_solver"])
    categories = sorted({c for s in summary["by_solver"].values() for c in s["by_category"]})
    category_rows = []
    for cat in categories:
        cells = [summary["by_solver"][n]["by_category"].get(cat) for n in names]
        tasks = max((c["tasks"] for c in cells if c), default=0)
        category_rows.append([cat or "(none)", tasks, *(f"{c['score']:.3f}" if c else "-" for c in cells)])
    funnel_rows = [
        [n, f["tasks"], f["shape_ok"], f["candidate"], f["correct"]]
        for n, f in ((n, summary["by_solver"][n]["funnel"]) for n in names)
    ]
    unique_lines = [
        f"- {n}: {summary['unique'][n]}"
        + (f" ({', '.join(summary['unique_tasks'][n])})" if summary["unique"][n] else "")
        for n in names
    ]
    return (
        "\n\n".join(
            [
                "## Comparison (ARC Prize score: mean over tasks of the fraction of test outputs solved)",
                comparison_table(summary),
                "## Overlap (tasks fully solved by both)",
                _table(["", *names], [[a, *(summary["overlap"][a][b] for b in names)] for a in names]),
                "## Unique solves (tasks only this solver solved)",
                "\n".join(unique_lines),
                "## Score per category",
                _table(["category", "tasks", *names], category_rows),
                "## Funnel (rows reaching each stage)",
                _table(
                    ["solver", "tasks", "output shape right", "train-consistent candidate", "correct"],
                    funnel_rows,
                ),
            ]
        )
        + "\n"
    )

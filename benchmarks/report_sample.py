"""A small `report.html` from a finished bench run: the first N tasks of each category, every solver.

A whole run's report holds every grid (12.6 MB for 400 tasks): this keeps a committed example small
enough to open from the repository. The figures at the top cover only the tasks kept.

    python benchmarks/report_sample.py RUN_DIR SOURCE --per-category 2 --out docs/report.html
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from dsl.task import Task
from synth.bench.report import render_report
from synth.bench.results import ResultsLog
from synth.bench.summary import summarize
from synth.sources import load_sources


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", type=Path, help="a synth bench --out folder")
    parser.add_argument("source", help="the SOURCE the run was made on (for the task grids)")
    parser.add_argument("--per-category", type=int, default=2)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    rows = ResultsLog(args.run / "results.jsonl").rows
    solvers = list(json.loads((args.run / "summary.json").read_text())["by_solver"])
    by_category: dict[str, list[Task]] = defaultdict(list)
    for task in load_sources([args.source]):
        if isinstance(task, Task) and len(by_category[task.category]) < args.per_category:
            by_category[task.category].append(task)
    tasks = [t for ts in by_category.values() for t in ts]
    keys = {(t.category, t.id) for t in tasks}
    kept = {k: r for k, r in rows.items() if (k[0], k[1]) in keys}
    summary = summarize(list(kept.values()), solvers)
    title = f"synth bench: {args.run.name} ({len(tasks)} tasks, {args.per_category} per category)"
    args.out.write_text(render_report(tasks, [], kept, solvers, summary, title), encoding="utf-8")
    print(f"{args.out}: {len(tasks)} tasks, {args.out.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()

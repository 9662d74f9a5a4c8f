"""How many tasks the `search` solver solves, with the bench funnel, in one process.

A development loop for the search on arc1/training (never tune on evaluation sets): the same seeded
sample as `synth bench --limit N --seed S`, solved one task after another in this process, so the
code is imported once and edits made while it runs do not leak into the figures.

    python benchmarks/search_strength.py --limit 60 --budget 5
"""

from __future__ import annotations

import argparse
import json
import time

from dsl.grid import grids_equal
from dsl.task import Task
from synth.search import SearchSolver
from synth.solver import Budget, run_solver
from synth.sources import load_source


def funnel_row(task: Task, attempts: list, stats: dict) -> dict[str, bool]:
    """Output shape right / a train-consistent program found / every test output correct at pass@2."""
    truths = [p.output for p in task.test]
    shape_ok = all(any(a.shape == t.shape for a in att) for att, t in zip(attempts, truths, strict=True))
    correct = all(any(grids_equal(a, t) for a in att) for att, t in zip(attempts, truths, strict=True))
    return {"shape_ok": shape_ok, "candidate": stats.get("candidates_found", 0) > 0, "correct": correct}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default="arc1/training")
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--budget", type=float, default=5.0, help="seconds per task")
    parser.add_argument(
        "--nodes",
        type=int,
        help="also stop each search after this many states: figures that do not "
        "depend on the machine's load, for comparing two versions run while other jobs share the CPU",
    )
    parser.add_argument("--max-depth", type=int, default=8)
    parser.add_argument("--jsonl", help="write one JSON line per task here")
    parser.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help="a SearchConfig field: param_cost=0.2"
    )
    args = parser.parse_args()
    if "evaluation" in args.source:
        parser.error("develop on training sets only; evaluation is measured by `synth bench`")
    tasks = [t for t in load_source(args.source, limit=args.limit, seed=args.seed) if isinstance(t, Task)]
    options = {k: json.loads(v) for k, v in (item.split("=", 1) for item in args.set)}
    solver = SearchSolver(max_depth=args.max_depth, **options)
    totals = {"shape_ok": 0, "candidate": 0, "correct": 0}
    out = open(args.jsonl, "w") if args.jsonl else None  # noqa: SIM115 (closed below)
    start = time.monotonic()
    for task in tasks:
        solution, seconds = run_solver(solver, task, Budget(seconds=args.budget, nodes=args.nodes))
        row = funnel_row(task, solution.attempts, solution.stats)
        for k, v in row.items():
            totals[k] += v
        program = solution.programs[0] if solution.programs else "-"
        s = solution.stats
        print(
            f"{task.id} {'OK ' if row['correct'] else '   '} shape={int(row['shape_ok'])} "
            f"cand={int(row['candidate'])} nodes={s['nodes_expanded']} bound={s['cost_bound']:g} "
            f"{s['stopped_by']:<9} {seconds:5.1f}s {program}",
            flush=True,
        )
        if out:
            out.write(json.dumps({"task": task.id, **row, "program": program, "stats": s}) + "\n")
    if out:
        out.close()
    n = len(tasks)
    print(
        f"\n{args.source} sample {n} (seed {args.seed}), {args.budget:g} s/task"
        f"{f', {args.nodes} nodes/search' if args.nodes else ''} {options or ''}: "
        f"shape right {totals['shape_ok']}, candidate {totals['candidate']}, "
        f"correct {totals['correct']}/{n} = {totals['correct'] / n:.1%}  ({time.monotonic() - start:.0f} s)"
    )


if __name__ == "__main__":
    main()

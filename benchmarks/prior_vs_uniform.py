"""Prior vs. uniform (issue 5): does the learned prior make the search find programs sooner?

On held-out generated program tasks of depth 3 (a generation seed training never used), three
orderings of the same search run under the same node budget:

- uniform: `search` with the primitives' own costs;
- frequency: `search` with costs scaled by how often each primitive appears in the training programs
  (the same -log p mapping as the prior, but blind to the task);
- prior: `search+prior`, the learned prior's probabilities for this task;
- oracle (only when asked for): `search+prior` told the generating program's primitives (p 0.99,
  the prior's other labels 1e-4): the most any prior over these labels could give, so a target can
  be checked against what the weighting allows at all.

Per task and method: nodes expanded before the first train-consistent program (`first_solution_node`),
seconds to it including the prior's forward pass, and whether that run's attempts are right.
Summary: geometric-mean ratios against uniform (on tasks both solved, and with unsolved runs counted
at the budget), solved fraction vs. node budget as an SVG plot.

    python benchmarks/prior_vs_uniform.py --n 60 --seed 5000 --nodes 3000 --svg docs/prior_vs_uniform.svg
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from dsl.grid import grids_equal
from dsl.task import Task
from model.data import program_primitives
from synth.generate import GenerateConfig, generate_program_tasks, read_jsonl_shards
from synth.prior import (
    DEFAULT_CHECKPOINT,
    PriorModel,
    PriorSearchSolver,
    Weighting,
    frequency_weights,
    primitive_frequencies,
)
from synth.search import SearchSolver
from synth.solver import Budget, Solver, run_solver

FREQUENCY_FILE = "primitive_frequency.json"  # beside the prior checkpoint: the training programs' counts
METHODS = ("uniform", "frequency", "prior", "oracle")
DEFAULT_METHODS = METHODS[:3]
COLOURS = {"uniform": "#888888", "frequency": "#1f77b4", "prior": "#d62728", "oracle": "#2ca02c"}


@dataclass
class Run:
    task: str
    method: str
    first_node: int | None  # None: no train-consistent program within the budget
    first_seconds: float | None  # to the first train-consistent program, prior inference included
    spent_seconds: float  # every run of the budget ladder (see `run_method`)
    nodes: int
    correct: bool  # the attempts of the run that found the first program are right
    prior_seconds: float = 0.0  # the prior's forward pass (features included) in the last run


def held_out_tasks(seed: int, n: int, depth: int, jobs: int) -> list[Task]:
    """The first `n` generated tasks of exactly `depth` from generation seed `seed`."""
    kept: list[Task] = []

    def keep(task: Task) -> None:
        if int(task.meta.get("depth", 0)) == depth and len(kept) < n:
            kept.append(task)

    # generation draws depths 1..depth uniformly: ask for enough tasks to see n of the deepest
    for factor in (4, 8, 16):
        kept.clear()
        generate_program_tasks(GenerateConfig(n=n * factor, max_depth=depth, seed=seed, jobs=jobs), keep)
        if len(kept) >= n:
            break
    return kept


def load_tasks(folder: Path) -> list[Task]:
    from model.data import load_folder

    if any(folder.glob("shard-*.jsonl.gz")):
        return list(read_jsonl_shards(folder))
    return load_folder(folder)


def load_frequencies(train_data: Path | None, checkpoint: Path) -> dict[str, float]:
    if train_data is not None:
        return primitive_frequencies(load_tasks(train_data))
    path = checkpoint / FREQUENCY_FILE
    if not path.is_file():
        sys.exit(f"{path}: missing; pass --train-data DIR (the prior's training tasks)")
    return json.loads(path.read_text())


def run_method(method: str, make: Callable[[], Solver], task: Task, budget: Budget) -> Run:
    """Search under node budgets 8, 16, 32, ... up to `budget.nodes` until a train-consistent program
    appears. A node budget makes the search deterministic, so the first program and the seconds to it
    are those of one run with the full budget, without paying for the search to settle afterwards."""
    assert budget.nodes is not None
    spent = 0.0
    nodes = 8
    while True:
        step = Budget(seconds=budget.seconds, nodes=min(nodes, budget.nodes))
        solution, seconds = run_solver(make(), task, step)
        spent += seconds
        stats = solution.stats
        if stats.get("first_solution_node") is not None or step.nodes == budget.nodes:
            break
        nodes *= 2
    first_node = stats.get("first_solution_node")
    first_seconds = None
    if first_node is not None:
        first_seconds = stats["first_solution_seconds"] + stats.get("prior_seconds", 0.0)
    correct = all(
        any(grids_equal(a, pair.output) for a in attempts)
        for attempts, pair in zip(solution.attempts, task.test, strict=True)
        if pair.output is not None
    )
    prior_seconds = stats.get("prior_seconds", 0.0)
    return Run(
        task.id, method, first_node, first_seconds, spent, stats["nodes_expanded"], correct, prior_seconds
    )


def load_runs(path: Path) -> dict[tuple[str, str], Run]:
    rows = (Run(**json.loads(line)) for line in path.read_text().splitlines() if line.strip())
    return {(r.task, r.method): r for r in rows}


def median(values: Sequence[float]) -> float:
    return sorted(values)[len(values) // 2]


def geo_mean(values: Sequence[float]) -> float | None:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def multi_step_tasks(runs: list[Run]) -> set[str]:
    """Tasks no one-step program fits: uniform did not find its first program by the root's expansion
    (node 1; node 0 is a one-step inferred program checked before any expansion).

    A generated depth-3 program can often be replaced by a single primitive of the full DSL (the
    generator's check searches the program's own primitives only). Every order expands the root
    first, so on such a task any prior ties uniform at node 1 and only pays its forward pass: these
    tasks measure nothing about ordering, and the ratios are also reported without them."""
    return {r.task for r in runs if r.method == "uniform" and (r.first_node is None or r.first_node > 1)}


def ratios(runs: list[Run], method: str, budget: int, only: set[str] | None = None) -> dict[str, object]:
    """Uniform / method, geometric means: nodes (+1, so a program found at once counts as 1) and
    seconds on the tasks both solved; nodes with unsolved runs counted at the budget (a bound).
    `only`: the tasks to count (default all)."""
    by = {(r.task, r.method): r for r in runs}
    tasks = sorted({r.task for r in runs if only is None or r.task in only})
    both = [
        t for t in tasks if by[t, "uniform"].first_node is not None and by[t, method].first_node is not None
    ]

    def censored(r: Run) -> float:
        return (r.first_node if r.first_node is not None else budget) + 1

    return {
        "both_solved": len(both),
        "nodes_ratio": geo_mean(
            [(by[t, "uniform"].first_node + 1) / (by[t, method].first_node + 1) for t in both]
        ),
        "seconds_ratio": geo_mean(
            [max(by[t, "uniform"].first_seconds, 1e-4) / max(by[t, method].first_seconds, 1e-4) for t in both]
        ),
        "nodes_ratio_censored": geo_mean(
            [censored(by[t, "uniform"]) / censored(by[t, method]) for t in tasks]
        ),
    }


def summary(runs: list[Run], budget: int) -> dict[str, object]:
    out: dict[str, object] = {}
    has_uniform = any(r.method == "uniform" for r in runs)
    multi_step = multi_step_tasks(runs)
    for method in METHODS:
        mine = [r for r in runs if r.method == method]
        if not mine:
            continue
        found = sorted(r.first_node for r in mine if r.first_node is not None)
        out[method] = {
            "tasks": len(mine),
            "found": len(found),
            "correct": sum(r.correct for r in mine),
            "median_first_node": found[len(found) // 2] if found else None,
            "geo_mean_first_seconds": geo_mean(
                [max(r.first_seconds, 1e-4) for r in mine if r.first_seconds is not None]
            ),
            "spent_seconds": round(sum(r.spent_seconds for r in mine), 2),
            **(
                {"median_prior_seconds": median([r.prior_seconds for r in mine])} if method == "prior" else {}
            ),
            **(
                {
                    "vs_uniform": ratios(runs, method, budget),
                    "vs_uniform_multi_step": {
                        "tasks": len(multi_step),
                        **ratios(runs, method, budget, multi_step),
                    },
                }
                if method != "uniform" and has_uniform
                else {}
            ),
        }
    return out


def solved_curve(runs: list[Run], method: str, budgets: Sequence[int]) -> list[float]:
    mine = [r for r in runs if r.method == method]
    return [sum(r.first_node is not None and r.first_node <= b for r in mine) / len(mine) for b in budgets]


def svg_plot(runs: list[Run], budget: int) -> str:
    """Solved fraction (a train-consistent program found) vs. node budget, log x axis; plain SVG."""
    width, height, left, bottom, top, right = 560, 360, 60, 50, 20, 130
    top_exp = max(1.0, math.log10(budget + 1))
    budgets = sorted({int(round(10 ** (top_exp * i / 200))) - 1 for i in range(201)} | {0})

    def x(b: int) -> float:
        return left + (width - left - right) * math.log10(b + 1) / top_exp

    def y(f: float) -> float:
        return height - bottom - (height - bottom - top) * f

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
        'font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<line x1="{left}" y1="{y(0)}" x2="{width - right}" y2="{y(0)}" stroke="black"/>',
        f'<line x1="{left}" y1="{y(0)}" x2="{left}" y2="{y(1)}" stroke="black"/>',
    ]
    for f in (0, 0.25, 0.5, 0.75, 1):
        parts.append(f'<text x="{left - 8}" y="{y(f) + 4}" text-anchor="end">{f:g}</text>')
        parts.append(f'<line x1="{left}" y1="{y(f)}" x2="{width - right}" y2="{y(f)}" stroke="#eee"/>')
    for e in range(int(top_exp) + 1):
        b = 10**e - 1 if e else 0
        parts.append(f'<text x="{x(b)}" y="{y(0) + 18}" text-anchor="middle">{10**e if e else 0}</text>')
    parts.append(
        f'<text x="{(left + width - right) / 2}" y="{height - 10}" text-anchor="middle">'
        "node budget (states expanded, log scale)</text>"
    )
    parts.append(
        f'<text x="15" y="{(top + height - bottom) / 2}" text-anchor="middle" '
        f'transform="rotate(-90 15 {(top + height - bottom) / 2})">solved fraction</text>'
    )
    for i, method in enumerate(m for m in METHODS if any(r.method == m for r in runs)):
        curve = solved_curve(runs, method, budgets)
        points = " ".join(f"{x(b):.1f},{y(f):.1f}" for b, f in zip(budgets, curve, strict=True))
        colour = COLOURS[method]
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        ly = top + 20 * i + 10
        parts.append(
            f'<line x1="{width - right + 10}" y1="{ly}" x2="{width - right + 30}" y2="{ly}" '
            f'stroke="{colour}" stroke-width="2"/>'
        )
        parts.append(f'<text x="{width - right + 35}" y="{ly + 4}">{method}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


class ProgramOracle:
    """A stand-in prior that reads the generating program: certain of its primitives, doubting the
    rest of the labels. A diagnostic upper bound, never a solver."""

    def __init__(self, labels: Sequence[str]) -> None:
        self.labels = tuple(labels)

    def probabilities(self, task: Task) -> dict[str, float]:
        used = set(program_primitives(task) or ())
        return {name: 0.99 if name in used else 1e-4 for name in self.labels}


def make_solvers(
    methods: Sequence[str],
    checkpoint: Path,
    frequencies: Callable[[], dict[str, float]],
    weighting: Weighting,
    threads: int | None,
    prior_options: dict[str, Any] | None = None,
) -> dict[str, Callable[[], Solver]]:
    """A factory per method; the prior is loaded once (and only when asked for). `prior_options` are
    `PriorSearchSolver`'s beyond the weighting (shortlist, how the weights deepen); the frequency
    baseline deepens as the prior does."""
    options: dict[str, Any] = {**asdict(weighting), **(prior_options or {})}
    deepen = options.get("weights_deepen", PriorSearchSolver.weights_deepen)
    solvers: dict[str, Callable[[], Solver]] = {"uniform": lambda: SearchSolver()}
    if "frequency" in methods:
        weights = frequency_weights(frequencies(), weighting)
        solvers["frequency"] = lambda: SearchSolver(weights=weights, weights_deepen=deepen)
    if "prior" in methods or "oracle" in methods:
        started = time.monotonic()
        prior = PriorModel(checkpoint, threads)
        print(f"prior loaded in {time.monotonic() - started:.2f} s", file=sys.stderr)
        solvers["prior"] = lambda: PriorSearchSolver(prior=prior, **options)
        oracle = ProgramOracle(prior.labels)  # the oracle needs only the prior's labels
        solvers["oracle"] = lambda: PriorSearchSolver(prior=oracle, **options)  # type: ignore[arg-type]
    return solvers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data", type=Path, help="held-out tasks (folder or JSONL shards); default: generate"
    )
    parser.add_argument("--seed", type=int, default=5000, help="generation seed of the held-out tasks")
    parser.add_argument("--n", type=int, default=60, help="held-out tasks of the given depth")
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1, help="generation worker processes")
    parser.add_argument("--checkpoint", type=Path, default=DEFAULT_CHECKPOINT)
    parser.add_argument(
        "--train-data", type=Path, help="the prior's training tasks, for the frequency baseline"
    )
    parser.add_argument("--nodes", type=int, default=3000, help="node budget per task and method")
    parser.add_argument("--seconds", type=float, default=60.0, help="safety time budget per task and method")
    parser.add_argument("--methods", default=",".join(DEFAULT_METHODS))
    parser.add_argument("--neutral-p", type=float, default=Weighting.neutral_p)
    parser.add_argument("--floor", type=float, default=Weighting.floor)
    parser.add_argument("--ceiling", type=float, default=Weighting.ceiling)
    parser.add_argument("--shortlist-p", type=float, default=PriorSearchSolver.shortlist_p)
    parser.add_argument("--shortlist-share", type=float, default=PriorSearchSolver.shortlist_share)
    parser.add_argument(
        "--weights-deepen",
        action=argparse.BooleanOptionalAction,
        default=PriorSearchSolver.weights_deepen,
        help="weights set the deepening bounds too (default: as search+prior)",
    )
    parser.add_argument(
        "--deepen-top",
        type=int,
        default=PriorSearchSolver.deepen_top,
        help="without --weights-deepen: the bounds count the weights of the prior's top k primitives",
    )
    parser.add_argument("--threads", type=int, default=1, help="torch threads for the prior")
    parser.add_argument("--svg", type=Path, help="write the solved-fraction plot here")
    parser.add_argument("--jsonl", type=Path, help="write one row per task and method here")
    parser.add_argument(
        "--runs-from", type=Path, help="reuse the rows of an earlier --jsonl (same tasks and budget)"
    )
    args = parser.parse_args(argv)

    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    if not methods or any(m not in METHODS for m in methods):
        parser.error(f"--methods: a subset of {', '.join(METHODS)}")
    tasks = load_tasks(args.data) if args.data else held_out_tasks(args.seed, args.n, args.depth, args.jobs)
    tasks = [t for t in tasks if int(t.meta.get("depth", args.depth)) == args.depth][: args.n]
    weighting = Weighting(args.neutral_p, args.floor, args.ceiling)
    shortlist = {"shortlist_p": args.shortlist_p, "shortlist_share": args.shortlist_share}
    deepening = {"weights_deepen": args.weights_deepen, "deepen_top": args.deepen_top}
    solvers = make_solvers(
        methods,
        args.checkpoint,
        lambda: load_frequencies(args.train_data, args.checkpoint),
        weighting,
        args.threads,
        {**shortlist, **deepening},
    )
    budget = Budget(seconds=args.seconds, nodes=args.nodes)
    previous = load_runs(args.runs_from) if args.runs_from else {}
    log = args.jsonl.open("w") if args.jsonl else None
    runs: list[Run] = []
    started = time.monotonic()
    for i, task in enumerate(tasks):
        for method in methods:
            run = previous.get((task.id, method)) or run_method(method, solvers[method], task, budget)
            runs.append(run)
            if log:
                log.write(json.dumps(asdict(run)) + "\n")
                log.flush()
        print(
            f"  {i + 1}/{len(tasks)} "
            + " ".join(f"{r.method}={r.first_node}" for r in runs[-len(methods) :]),
            file=sys.stderr,
        )
    if log:
        log.close()
    if args.svg:
        args.svg.parent.mkdir(parents=True, exist_ok=True)
        args.svg.write_text(svg_plot(runs, args.nodes))
    result = {
        "tasks": len(tasks),
        "node_budget": args.nodes,
        "weighting": asdict(weighting),
        "shortlist": shortlist,
        **deepening,
        "wall_seconds": round(time.monotonic() - started, 1),
        **summary(runs, args.nodes),
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Search throughput: states expanded per second and unique states after pruning, on a fixed task list.

Part 1 runs the search on the first N tasks of arc1/training (sorted by id) with a fixed node budget
and settling off, so every run does the same work. Part 2 times the `search` solver on generated
simple-ARC tasks (symmetries and translations) at a 1 s budget and reports how many it solves.

    python benchmarks/search_throughput.py --tasks 20 --nodes 300
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from dsl.generators import SIMPLE_TRANSFORMS, make_simple_task
from dsl.grid import grids_equal
from dsl.task import Task
from synth.search import SearchConfig, SearchSolver, search
from synth.solver import Budget, hide_test_outputs
from synth.sources import load_source


def throughput(tasks: list[Task], nodes: int, max_cost: float) -> None:
    config = SearchConfig(max_cost=max_cost, stop_when_settled=False)
    total = {"nodes": 0, "unique": 0, "children": 0, "seconds": 0.0}
    header = ("task", "nodes", "unique", "children", "seconds", "nodes/s", "stopped")
    print(f"{header[0]:<10} " + " ".join(f"{h:>9}" for h in header[1:]))
    for task in tasks:
        result = search(
            [p.input for p in task.train],
            [p.output for p in task.train],
            [p.input for p in task.test],
            Budget(seconds=1e9, nodes=nodes),
            config=config,
        )
        s = result.stats
        total["nodes"] += s.nodes_expanded
        total["unique"] += s.unique_states
        total["children"] += s.children_tried
        total["seconds"] += s.seconds
        rate = s.nodes_expanded / s.seconds if s.seconds else 0.0
        print(
            f"{task.id:<10} {s.nodes_expanded:>9} {s.unique_states:>9} {s.children_tried:>9} "
            f"{s.seconds:>9.2f} {rate:>9.0f} {s.stopped_by:>9}"
        )
    secs = total["seconds"]
    print(
        f"\nTOTAL {len(tasks)} tasks: {total['nodes']} states expanded in {secs:.1f} s = "
        f"{total['nodes'] / secs:.0f} states/s; {total['children'] / secs:.0f} children tried/s; "
        f"{total['unique']} unique states kept of {total['children']} children tried"
    )


def simple_arc(per_transform: int, seconds: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    solver = SearchSolver()
    times, first, solved, n = [], [], 0, 0
    for name in SIMPLE_TRANSFORMS:
        for _ in range(per_transform):
            task = make_simple_task(name, rng)
            start = time.monotonic()
            solution = solver.solve(hide_test_outputs(task), Budget(seconds=seconds))
            times.append(time.monotonic() - start)
            found = solution.stats["first_solution_seconds"]
            first.append(found if found is not None else float("inf"))
            truth = task.test[0].output
            solved += any(grids_equal(g, truth) for g in solution.attempts[0][:2])
            n += 1
    print(
        f"simple-ARC: {solved}/{n} solved at pass@2 with a {seconds:g} s budget; "
        f"first train-consistent program after median {statistics.median(first):.3f} s, "
        f"max {max(first):.3f} s; whole run (budget used up unless settled) median "
        f"{statistics.median(times):.2f} s, max {max(times):.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=20, help="first N arc1/training tasks (default 20)")
    parser.add_argument("--nodes", type=int, default=300, help="states expanded per task (default 300)")
    parser.add_argument("--max-cost", type=float, default=3.0)
    parser.add_argument("--simple", type=int, default=5, help="simple-ARC tasks per transform (default 5)")
    parser.add_argument("--simple-seconds", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    tasks = [t for t in load_source("arc1/training") if isinstance(t, Task)][: args.tasks]
    throughput(tasks, args.nodes, args.max_cost)
    if args.simple:
        simple_arc(args.simple, args.simple_seconds, args.seed)


if __name__ == "__main__":
    main()

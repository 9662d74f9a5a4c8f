"""Primitive speed and depth-1 coverage on a task source (develop on arc1/training only).

For every primitive: mean time per call over all train and test inputs of the tasks (non-Grid
arguments fixed to the middle of their domain), and how often it refuses. Then the depth-1 sweep:
the tasks whose train pairs one primitive call fits, with its literal arguments enumerated.

    python benchmarks/primitive_coverage.py arc1/training
"""

from __future__ import annotations

import argparse
import itertools
import time

import numpy as np

from dsl.primitives.components import _label
from dsl.registry import PRIMITIVES, Primitive, Refused
from dsl.task import Task
from dsl.types import TYPES
from synth.sources import load_source

IDENTITY_MAP = "0123456789"


def typical_args(prim: Primitive, grid: np.ndarray) -> list:
    """The grid for Grid parameters, a mid-domain literal for the others."""
    args: list = []
    for t in prim.arg_types:
        domain = TYPES[t].domain
        args.append(grid if t == "Grid" else domain[len(domain) // 2] if domain else IDENTITY_MAP)
    return args


def time_primitives(grids: list[np.ndarray]) -> list[tuple[str, float, float]]:
    """(name, mean CPU microseconds per call, refusal rate) for every primitive, slowest first.

    CPU time, not wall time: the machine is shared, and wall time would measure the neighbours."""
    rows = []
    for name, prim in PRIMITIVES.items():
        _label.cache_clear()  # time the labelling, not cache hits
        refused = 0
        start = time.process_time()
        for g in grids:
            try:
                prim.fn(*typical_args(prim, g))
            except Refused:
                refused += 1
        rows.append((name, (time.process_time() - start) / len(grids) * 1e6, refused / len(grids)))
    return sorted(rows, key=lambda r: -r[1])


def literal_domains(prim: Primitive) -> list[tuple] | None:
    """Every literal combination for the non-Grid parameters; None when one is not enumerable."""
    domains = [TYPES[t].domain for t in prim.arg_types if t != "Grid"]
    return None if any(not d for d in domains) else list(itertools.product(*domains))


def fits(prim: Primitive, literals: tuple, task: Task) -> bool:
    for pair in task.train:
        values = iter(literals)
        args = [pair.input if t == "Grid" else next(values) for t in prim.arg_types]
        try:
            out = prim.fn(*args)
        except Refused:
            return False
        if out.shape != pair.output.shape or not np.array_equal(out, pair.output):
            return False
    return True


def depth1_sweep(tasks: list[Task]) -> dict[str, str]:
    """Task id -> the first single call `name(I, literals...)` that fits all its train pairs."""
    found: dict[str, str] = {}
    for task in tasks:
        for name, prim in PRIMITIVES.items():
            combos = literal_domains(prim)
            if prim.ret_type != "Grid" or prim.arg_types.count("Grid") != 1 or combos is None:
                continue
            hit = next((c for c in combos if fits(prim, c, task)), None)
            if hit is not None:
                found[task.id] = f"{name}({', '.join(['I', *map(repr, hit)])})"
                break
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="task file, folder or dataset name (never an evaluation set)")
    args = parser.parse_args()
    tasks = [t for t in load_source(args.source) if isinstance(t, Task)]
    grids = [p.input for t in tasks for p in (*t.train, *t.test)]
    rows = time_primitives(grids)
    print(f"{len(PRIMITIVES)} primitives, {len(grids)} input grids from {len(tasks)} tasks")
    mean = sum(r[1] for r in rows) / len(rows)
    print(f"mean over primitives {mean:.1f} CPU us/call; slowest five:")
    for name, micros, refused in rows[:5]:
        print(f"  {name:28s} {micros:7.1f} us  refused {refused:.0%}")
    start = time.perf_counter()
    found = depth1_sweep(tasks)
    print(f"depth-1 fits: {len(found)} of {len(tasks)} tasks ({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()

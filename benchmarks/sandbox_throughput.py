"""Candidate-program verifications per second: the sandbox pool vs plain in-process `exec`.

A verification is one program run on every input of a task (its train and test pairs), the unit
the LLM coder pays per candidate. Programs are typical small LLM-style solutions (list
comprehensions, numpy, collections, a helper class). Plain `exec` is the unsafe upper bound.

    python benchmarks/sandbox_throughput.py --task arc1/training --n 600 --workers 2
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ThreadPoolExecutor

from dsl.grid import grid_to_list
from synth.sandbox import Sandbox, SandboxConfig
from synth.sources import load_source

PROGRAMS = [
    "def transform(grid):\n    return [row[::-1] for row in grid]\n",
    "import numpy as np\ndef transform(grid):\n    return np.rot90(np.array(grid)).tolist()\n",
    (
        "from collections import Counter\n"
        "def transform(grid):\n"
        "    bg = Counter(v for r in grid for v in r).most_common(1)[0][0]\n"
        "    return [[0 if v == bg else v for v in r] for r in grid]\n"
    ),
    (
        "class Painter:\n"
        "    def __init__(self, grid):\n"
        "        self.grid = [list(r) for r in grid]\n"
        "    def paint(self, old, new):\n"
        "        return [[new if v == old else v for v in r] for r in self.grid]\n"
        "def transform(grid):\n"
        "    return Painter(grid).paint(0, 5)\n"
    ),
    (
        "import numpy as np\n"
        "def transform(grid):\n"
        "    a = np.array(grid)\n"
        "    rows = [i for i in range(a.shape[0]) if a[i].any()]\n"
        "    return a[min(rows):max(rows) + 1].tolist() if rows else grid\n"
    ),
]


def plain_exec(source: str, grids: list[list[list[int]]]) -> None:
    scope: dict[str, object] = {}
    exec(compile(source, "<candidate>", "exec"), scope)
    for g in grids:
        scope["transform"]([list(r) for r in g])  # type: ignore[operator]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--task", default="arc1/training", help="dataset, folder or file; its first task is used"
    )
    parser.add_argument("--n", type=int, default=600, help="verifications to time")
    parser.add_argument("--workers", type=int, default=2, help="sandbox worker processes")
    args = parser.parse_args()

    task = load_source(args.task)[0]
    grids = [grid_to_list(p.input) for p in (*task.train, *task.test)]
    jobs = [PROGRAMS[i % len(PROGRAMS)] for i in range(args.n)]

    start = time.perf_counter()
    for source in jobs:
        plain_exec(source, grids)
    plain = args.n / (time.perf_counter() - start)

    with Sandbox(SandboxConfig(workers=args.workers)) as sandbox, ThreadPoolExecutor(args.workers) as pool:
        start = time.perf_counter()
        list(pool.map(lambda s: sandbox.run(s, grids), PROGRAMS * args.workers))  # start the workers
        warmup = time.perf_counter() - start
        start = time.perf_counter()
        results = list(pool.map(lambda s: sandbox.run(s, grids), jobs))
        seconds = time.perf_counter() - start
    ok = sum(all(r.ok for r in rs) for rs in results)
    latency = seconds * args.workers / args.n * 1000
    print(f"task {task.id}: {len(grids)} grids per verification, {args.n} verifications")
    print(
        f"sandbox ({args.workers} workers): {args.n / seconds:.0f} verifications/s "
        f"(~{latency:.1f} ms each per worker; {ok}/{args.n} all ok; worker start-up {warmup:.2f} s)"
    )
    print(f"plain exec (1 thread, unsafe): {plain:.0f} verifications/s")


if __name__ == "__main__":
    main()

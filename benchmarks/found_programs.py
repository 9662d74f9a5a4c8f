"""Programs a bench run found, as training tasks for the prior (issue 5).

Every task a run solved with a search program (score 1, a parseable program) is written once, with
that program as `meta["program"]`, to a JSONL shard `synth train --head prior --data DIR` reads. The
prior trained on generated programs never sees the DSL's inferred-rule primitives nor what ARC tasks
look like; these examples teach it both. Use runs over training sets only: a prior trained on an
evaluation set's answers would be measured on what it was taught.

    python benchmarks/found_programs.py runs/arc1-train-10s-s7 --out /tmp/arc_programs --split 0/2
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from dataclasses import replace
from pathlib import Path

from dsl.program import ProgramError, parse_program
from dsl.task import Task
from synth.generate import JsonlShardWriter
from synth.sources import load_sources


def solved_programs(run: Path, solvers: tuple[str, ...]) -> dict[str, str]:
    """task id -> the first program of a fully solved row (the first solver listed wins)."""
    found: dict[str, tuple[int, str]] = {}
    for line in (run / "results.jsonl").read_text().splitlines():
        row = json.loads(line)
        if row.get("solver") not in solvers or row.get("score") != 1 or not row.get("program"):
            continue
        try:
            parse_program(row["program"])
        except ProgramError:
            continue
        rank = solvers.index(row["solver"])
        if row["task"] not in found or rank < found[row["task"]][0]:
            found[row["task"]] = (rank, row["program"])
    return {task: program for task, (_, program) in found.items()}


def in_split(task_id: str, split: tuple[int, int] | None) -> bool:
    """Part `k` of `n` by a stable hash of the id, so two calls with 0/2 and 1/2 partition a set."""
    return split is None or zlib.crc32(task_id.encode()) % split[1] == split[0]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("runs", nargs="+", type=Path, help="bench run folders (results.jsonl, run.json)")
    ap.add_argument("--out", type=Path, required=True, help="folder for the JSONL shard")
    ap.add_argument("--solvers", default="search", help="comma-separated solvers whose programs count")
    ap.add_argument("--split", help="K/N: keep only part K of N of the tasks (stable hash of the id)")
    ap.add_argument(
        "--repeat", type=int, default=1, help="write each task this many times (weight beside a large set)"
    )
    args = ap.parse_args(argv)
    split = None
    if args.split:
        k, n = (int(x) for x in args.split.split("/"))
        if not 0 <= k < n:
            ap.error(f"--split wants K/N with 0 <= K < N, got {args.split}")
        split = (k, n)
    kept: list[Task] = []
    for run in args.runs:
        sources = json.loads((run / "run.json").read_text())["sources"]
        if any("eval" in s for s in sources):
            print(f"{run}: refusing an evaluation run ({', '.join(sources)})", file=sys.stderr)
            return 2
        programs = solved_programs(run, tuple(args.solvers.split(",")))
        for task in load_sources(sources):
            if isinstance(task, Task) and task.id in programs and in_split(task.id, split):
                meta = {**task.meta, "program": programs[task.id], "source_run": str(run)}
                kept.append(replace(task, meta=meta))
    writer = JsonlShardWriter(args.out)
    for task in kept * max(1, args.repeat):
        writer(task)
    writer.close()
    print(f"{len(kept)} tasks with found programs (x{max(1, args.repeat)}) -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The `neural` solver on simple-ARC tasks: pass@2 and median seconds per transform.

    python benchmarks/neural_simple.py --checkpoint runs/nano --per-transform 50 --seed 777 --views 8
    python benchmarks/neural_simple.py --checkpoint runs/nano --data /tmp/simple50 --views 16

Fresh tasks use a seed that training never used (training streams are seeded from `--seed` x 1e6 +
step, the held-out set from seed + 1000003); `--data` reads a folder instead (category = sub-folder,
as `synth generate simple` writes it).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence

import numpy as np
import torch

from dsl.generators.simple import SIMPLE_TRANSFORMS, make_simple_task
from dsl.task import Task
from synth.neural import NeuralSolver
from synth.scoring import correct_per_test, task_score
from synth.solver import Budget, run_solver


def fresh_tasks(transforms: Sequence[str], per_transform: int, seed: int) -> list[Task]:
    rng = np.random.default_rng(seed)
    return [make_simple_task(t, rng, task_id=f"{t}-{i}") for t in transforms for i in range(per_transform)]


def score_by_category(solver: NeuralSolver, tasks: Sequence[Task]) -> dict[str, dict[str, float]]:
    """Per task category: pass@2 and the median CPU seconds per task; `all` over every task."""
    scores: dict[str, list[float]] = {}
    seconds: dict[str, list[float]] = {}
    for task in tasks:
        start = time.process_time()
        solution, _ = run_solver(solver, task, Budget(60))
        for key in (task.category, "all"):
            seconds.setdefault(key, []).append(time.process_time() - start)
            scores.setdefault(key, []).append(task_score(correct_per_test(task, solution.attempts)) or 0.0)
    return {
        key: {
            "pass@2": round(float(np.mean(scores[key])), 3),
            "median_cpu_s": round(float(np.median(seconds[key])), 3),
            "tasks": len(scores[key]),
        }
        for key in scores
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--data", help="a folder of tasks instead of fresh ones")
    parser.add_argument("--per-transform", type=int, default=50)
    parser.add_argument("--seed", type=int, default=777)
    parser.add_argument("--views", type=int, default=8)
    parser.add_argument("--transforms", default=",".join(SIMPLE_TRANSFORMS))
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    solver = NeuralSolver(checkpoint=args.checkpoint, views=args.views)
    if args.data:
        from model.data import load_folder

        tasks = load_folder(args.data)
        source = {"data": args.data}
    else:
        tasks = fresh_tasks(args.transforms.split(","), args.per_transform, args.seed)
        source = {"per_transform": args.per_transform, "seed": args.seed}
    print(json.dumps({"views": args.views, **source, **score_by_category(solver, tasks)}))


if __name__ == "__main__":
    main()

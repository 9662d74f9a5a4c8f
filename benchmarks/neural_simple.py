"""The `neural` solver on freshly generated simple-ARC tasks: pass@2 and median seconds per transform.

    python benchmarks/neural_simple.py --checkpoint runs/nano --per-transform 50 --seed 777 --views 8

Use a seed that training never used (training streams are seeded from `--seed` x 1e6 + step, the
held-out set from seed + 1000003).
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import torch

from dsl.generators.simple import SIMPLE_TRANSFORMS, make_simple_task
from synth.neural import NeuralSolver
from synth.scoring import correct_per_test, task_score
from synth.solver import Budget, run_solver


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--per-transform", type=int, default=50)
    parser.add_argument("--seed", type=int, default=777)
    parser.add_argument("--views", type=int, default=8)
    parser.add_argument("--transforms", default=",".join(SIMPLE_TRANSFORMS))
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    solver = NeuralSolver(checkpoint=args.checkpoint, views=args.views)
    rng = np.random.default_rng(args.seed)
    report = {}
    for transform in args.transforms.split(","):
        scores, seconds = [], []
        for i in range(args.per_transform):
            task = make_simple_task(transform, rng, task_id=f"{transform}-{i}")
            start = time.process_time()
            solution, _ = run_solver(solver, task, Budget(60))
            seconds.append(time.process_time() - start)
            scores.append(task_score(correct_per_test(task, solution.attempts)))
        report[transform] = {
            "pass@2": round(float(np.mean(scores)), 3),
            "median_cpu_s": round(float(np.median(seconds)), 3),
        }
    print(json.dumps({"views": args.views, "per_transform": args.per_transform, "seed": args.seed, **report}))


if __name__ == "__main__":
    main()

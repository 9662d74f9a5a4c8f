"""Tokens per task and CPU cost of the transformer, to size training runs and the `neural` solver.

    python benchmarks/model_throughput.py --tasks 200 --preset nano --threads 1

Prints tokens per simple-ARC task (sparse and dense encodings), training steps/s at the given batch
size, and the neural solver's seconds per task at the given number of views (random weights: speed
does not depend on them).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time

import numpy as np
import torch

from dsl.generators.simple import SIMPLE_TRANSFORMS
from model.checkpoint import save_checkpoint
from model.data import ExampleConfig, generated_tasks, make_example
from model.predict import to_tensors
from model.tokenizer import TokenizerConfig, collate, encode_task
from model.transformer import GridTransformer, preset
from synth.neural import NeuralSolver, model_predictor
from synth.solver import Budget, hide_test_outputs


def tokens_per_task(tasks: list, sparse: bool) -> dict[str, float]:
    counts = np.array(
        [len(encode_task(t, config=TokenizerConfig(sparse=sparse, max_tokens=10**6))) for t in tasks]
    )
    return {"mean": float(counts.mean()), "median": float(np.median(counts)), "max": int(counts.max())}


def train_steps_per_s(model: GridTransformer, tasks: list, batch_size: int, steps: int) -> float:
    rng = np.random.default_rng(0)
    opt = model.configure_optimizer(1e-3)
    model.train()
    start = time.monotonic()
    for i in range(steps):
        batch = [
            make_example(t, rng, ExampleConfig(), TokenizerConfig())
            for t in tasks[i * batch_size :][:batch_size]
        ]
        _, loss = model(to_tensors(collate([e for e in batch if e is not None]), "cpu"))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return steps / (time.monotonic() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--preset", default="nano")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--views", type=int, default=16)
    parser.add_argument("--solve-tasks", type=int, default=10)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    stream = generated_tasks(SIMPLE_TRANSFORMS, seed=12345)
    tasks = [next(stream) for _ in range(max(args.tasks, args.batch_size * args.steps))]
    model = GridTransformer(preset(args.preset))
    report = {
        "preset": args.preset,
        "params": model.n_params(),
        "tokens_per_task_sparse": tokens_per_task(tasks[: args.tasks], True),
        "tokens_per_task_dense": tokens_per_task(tasks[: args.tasks], False),
        "train_steps_per_s": round(train_steps_per_s(model, tasks, args.batch_size, args.steps), 3),
        "batch_size": args.batch_size,
    }
    with tempfile.TemporaryDirectory() as tmp:
        save_checkpoint(model.eval(), tmp, meta={"head": "transduction"})
        solver = NeuralSolver(views=args.views, predictor=model_predictor(tmp))
        seconds = []
        for task in tasks[: args.solve_tasks]:
            start = time.monotonic()
            solver.solve(hide_test_outputs(task), Budget(60))
            seconds.append(time.monotonic() - start)
    report["solve_seconds_median"] = round(float(np.median(seconds)), 3)
    report["views"] = args.views
    print(json.dumps(report))


if __name__ == "__main__":
    main()

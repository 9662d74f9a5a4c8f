"""A tiny task folder for bench tests: three geometry tasks the `Flip` stand-in solves, one noise task
nobody solves, and one malformed file, in two category sub-folders."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from bench_solvers import TRANSFORMS

SOLVABLE = {"flip_vertical": 1, "rotate_90": 2, "transpose": 1}  # transform -> test inputs
GOOD_TASKS = len(SOLVABLE) + 1
TEST_OUTPUTS = sum(SOLVABLE.values()) + 1


def _pair(rng: np.random.Generator, transform: str | None) -> dict:
    grid = rng.integers(0, 10, size=(3, 4))
    out = rng.integers(0, 10, size=(2, 2)) if transform is None else TRANSFORMS[transform](grid)
    return {"input": grid.tolist(), "output": np.asarray(out).tolist()}


def write_task_folder(root: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    for name, n_test in SOLVABLE.items():
        task = {
            "train": [_pair(rng, name) for _ in range(2)],
            "test": [_pair(rng, name) for _ in range(n_test)],
        }
        _write(root / "geometry" / f"{name}.json", task)
    _write(
        root / "noise" / "noise.json",
        {"train": [_pair(rng, None) for _ in range(2)], "test": [_pair(rng, None)]},
    )
    (root / "noise" / "broken.json").write_text('{"train": [{"input": [[1, 2], [3]]}]')
    return root


def _write(path: Path, task: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(task))

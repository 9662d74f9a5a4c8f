"""The "simple ARC" task family: sparse one-colour grids under one symmetry or a translation.

Each task is 3 train pairs + 1 test pair of a single foreground colour (1-9) on black, sides 3-12,
density 10-35%. A task is resampled until its train pairs single out the transform among all simple
transforms (every candidate that fits the train pairs gives the same test output), so a correct search
must solve 100% of them. Grids may be non-square for every transform: the DSL's symmetries accept any
shape, and a non-square grid only makes the transform easier to identify (the output shape tells
rotations from flips).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dsl.augment import D8
from dsl.grid import DTYPE, Grid
from dsl.task import Pair, Task
from dsl.types import TYPES

SIMPLE_TRANSFORMS: tuple[str, ...] = (
    "rotate_90",
    "rotate_180",
    "rotate_270",
    "flip_lr",
    "flip_ud",
    "transpose",
    "anti_transpose",
    "translate",
)
N_TRAIN = 3
MIN_SIDE, MAX_SIDE = 3, 12
MAX_TRIES = 200

_SYMMETRIES: dict[str, Callable[[Grid], Grid]] = {s.name: s.fn for s in D8}


def translate(grid: Grid, dy: int, dx: int) -> Grid:
    """Move every cell by (dy, dx); cells moved off the edge are lost, vacated cells become 0.

    The same semantics as the DSL's `shift(I, dy, dx)`; kept here so the generator does not depend on
    which primitives are registered.
    """
    h, w = grid.shape
    out = np.zeros_like(grid)
    if abs(dy) < h and abs(dx) < w:
        out[max(dy, 0) : h + min(dy, 0), max(dx, 0) : w + min(dx, 0)] = grid[
            max(-dy, 0) : h - max(dy, 0), max(-dx, 0) : w - max(dx, 0)
        ]
    return out


def _offsets() -> list[tuple[int, int]]:
    domain = [int(v) for v in TYPES["Offset"].domain]
    return [(dy, dx) for dy in [0, *domain] for dx in [0, *domain] if (dy, dx) != (0, 0)]


def candidate_transforms() -> dict[str, Callable[[Grid], Grid]]:
    """Every simple transform by program text: the identity, the D8 symmetries and every shift."""
    candidates = {f"{name}(I)" if name != "identity" else "I": fn for name, fn in _SYMMETRIES.items()}
    for dy, dx in _offsets():
        candidates[f"shift(I, {dy}, {dx})"] = lambda g, dy=dy, dx=dx: translate(g, dy, dx)
    return candidates


def _sparse_grid(
    rng: np.random.Generator, shape: tuple[int, int], color: int, margin: tuple[int, int]
) -> Grid:
    """Pixels of `color` at 10-35% density, kept inside the cells that stay on the grid after a shift
    by `margin` (dy, dx)."""
    h, w = shape
    dy, dx = margin
    grid = np.zeros(shape, dtype=DTYPE)
    region = grid[max(-dy, 0) : h - max(dy, 0), max(-dx, 0) : w - max(dx, 0)]
    mask = rng.random(region.shape) < rng.uniform(0.10, 0.35)
    mask[rng.integers(region.shape[0]), rng.integers(region.shape[1])] = True  # never blank
    region[mask] = color
    return grid


def _identifies(pairs: list[Pair], program: str, candidates: dict[str, Callable[[Grid], Grid]]) -> bool:
    """True when every candidate that fits the train pairs predicts the generating program's test output."""
    train, test = pairs[:N_TRAIN], pairs[N_TRAIN]
    for text, fn in candidates.items():
        if text == program:
            continue
        if all(np.array_equal(fn(p.input), p.output) for p in train) and not np.array_equal(
            fn(test.input), test.output
        ):
            return False
    return len({p.input.tobytes() + bytes(p.input.shape) for p in pairs}) == len(pairs)


def make_simple_task(transform: str, rng: np.random.Generator, task_id: str = "") -> Task:
    """One simple-ARC task under `transform` (a name in SIMPLE_TRANSFORMS); `meta["program"]` holds
    the generating DSL program, e.g. `rotate_90(I)` or `shift(I, 1, -2)`."""
    if transform not in SIMPLE_TRANSFORMS:
        raise ValueError(f"unknown simple transform {transform!r} (known: {', '.join(SIMPLE_TRANSFORMS)})")
    candidates = candidate_transforms()
    for _ in range(MAX_TRIES):
        if transform == "translate":
            dy, dx = _offsets()[int(rng.integers(len(_offsets())))]
            program, fn = f"shift(I, {dy}, {dx})", (lambda g, dy=dy, dx=dx: translate(g, dy, dx))
            low = max(MIN_SIDE, abs(dy) + 2, abs(dx) + 2)
        else:
            dy = dx = 0
            program, fn, low = f"{transform}(I)", _SYMMETRIES[transform], MIN_SIDE
        color = int(rng.integers(1, 10))
        pairs = []
        for _ in range(N_TRAIN + 1):
            shape = (int(rng.integers(low, MAX_SIDE + 1)), int(rng.integers(low, MAX_SIDE + 1)))
            grid = _sparse_grid(rng, shape, color, (dy, dx))
            pairs.append(Pair(grid, fn(grid)))
        if _identifies(pairs, program, candidates):
            meta = {"program": program, "transform": transform, "generator": "simple"}
            return Task(
                id=task_id,
                train=tuple(pairs[:N_TRAIN]),
                test=(pairs[N_TRAIN],),
                category=transform,
                meta=meta,
            )
    raise RuntimeError(f"could not make an identifiable {transform} task in {MAX_TRIES} tries")

"""Input grid generators: several families of random grids, so sampled programs meet inputs that look
like ARC's (sparse pixels, rectangles on black, noise, stripes and tiled motifs, objects on a
coloured background) instead of uniform noise alone.

Every generator is `(rng, shape) -> Grid` and draws all its randomness from `rng`, so a task is
reproducible from its seed.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dsl.grid import DTYPE, N_COLORS, Grid

InputGenerator = Callable[[np.random.Generator, tuple[int, int]], Grid]


def random_colors(rng: np.random.Generator, k: int, exclude: int | None = 0) -> np.ndarray:
    """k distinct colours, never `exclude` (the background)."""
    pool = np.array([c for c in range(N_COLORS) if c != exclude])
    return rng.choice(pool, size=min(k, len(pool)), replace=False).astype(DTYPE)


def random_shape(
    rng: np.random.Generator, low: int = 3, high: int = 12, square: bool = False
) -> tuple[int, int]:
    """Sides drawn uniformly in [low, high]."""
    h = int(rng.integers(low, high + 1))
    return (h, h) if square else (h, int(rng.integers(low, high + 1)))


def sparse_pixels(rng: np.random.Generator, shape: tuple[int, int]) -> Grid:
    """A few colours scattered on black at 10-35% density."""
    density = rng.uniform(0.10, 0.35)
    colors = random_colors(rng, int(rng.integers(1, 4)))
    mask = rng.random(shape) < density
    grid = np.zeros(shape, dtype=DTYPE)
    grid[mask] = rng.choice(colors, size=int(mask.sum()))
    return grid


def _paint_rectangles(rng: np.random.Generator, grid: Grid, colors: np.ndarray, count: int) -> Grid:
    h, w = grid.shape
    for _ in range(count):
        rh, rw = int(rng.integers(1, max(2, h // 2) + 1)), int(rng.integers(1, max(2, w // 2) + 1))
        top, left = int(rng.integers(0, h - rh + 1)), int(rng.integers(0, w - rw + 1))
        grid[top : top + rh, left : left + rw] = rng.choice(colors)
    return grid


def rectangles(rng: np.random.Generator, shape: tuple[int, int]) -> Grid:
    """Solid rectangles of a few colours on black (they may overlap)."""
    colors = random_colors(rng, int(rng.integers(1, 5)))
    return _paint_rectangles(rng, np.zeros(shape, dtype=DTYPE), colors, int(rng.integers(1, 5)))


def objects(rng: np.random.Generator, shape: tuple[int, int]) -> Grid:
    """Small random blobs (random masks inside small boxes), one colour each, on black."""
    h, w = shape
    grid = np.zeros(shape, dtype=DTYPE)
    colors = random_colors(rng, int(rng.integers(1, 5)))
    for _ in range(int(rng.integers(1, 6))):
        bh, bw = int(rng.integers(1, min(4, h) + 1)), int(rng.integers(1, min(4, w) + 1))
        top, left = int(rng.integers(0, h - bh + 1)), int(rng.integers(0, w - bw + 1))
        blob = rng.random((bh, bw)) < 0.7
        blob[rng.integers(bh), rng.integers(bw)] = True
        grid[top : top + bh, left : left + bw][blob] = rng.choice(colors)
    return grid


def noise(rng: np.random.Generator, shape: tuple[int, int]) -> Grid:
    """Dense noise over a few colours, black included."""
    colors = np.concatenate([[0], random_colors(rng, int(rng.integers(1, 4)))]).astype(DTYPE)
    return rng.choice(colors, size=shape).astype(DTYPE)


def stripes(rng: np.random.Generator, shape: tuple[int, int]) -> Grid:
    """Horizontal, vertical or diagonal stripes cycling through 2-3 colours (black may be one)."""
    period = int(rng.integers(2, 4))
    colors = random_colors(rng, period, exclude=None)
    rows, cols = np.indices(shape)
    index = [rows, cols, rows + cols][int(rng.integers(3))]
    return np.ascontiguousarray(colors[index % period])


def pattern(rng: np.random.Generator, shape: tuple[int, int]) -> Grid:
    """A small random motif tiled over the grid."""
    mh, mw = int(rng.integers(1, 4)), int(rng.integers(2, 4))
    motif = sparse_pixels(rng, (mh, mw))
    motif[rng.integers(mh), rng.integers(mw)] = random_colors(rng, 1)[0]
    reps = (-(-shape[0] // mh), -(-shape[1] // mw))
    return np.ascontiguousarray(np.tile(motif, reps)[: shape[0], : shape[1]])


def arc_background(rng: np.random.Generator, shape: tuple[int, int]) -> Grid:
    """Rectangles and pixels on a non-black background colour, as in many ARC tasks."""
    background = int(rng.integers(1, N_COLORS))
    grid = np.full(shape, background, dtype=DTYPE)
    colors = random_colors(rng, int(rng.integers(1, 4)), exclude=background)
    grid = _paint_rectangles(rng, grid, colors, int(rng.integers(1, 4)))
    mask = rng.random(shape) < 0.05
    grid[mask] = rng.choice(colors, size=int(mask.sum()))
    return grid


INPUT_GENERATORS: dict[str, InputGenerator] = {
    "sparse_pixels": sparse_pixels,
    "rectangles": rectangles,
    "objects": objects,
    "noise": noise,
    "stripes": stripes,
    "pattern": pattern,
    "arc_background": arc_background,
}

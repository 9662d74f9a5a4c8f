"""Tiling: repeating a grid into a larger one (plain, mirrored, rotated, stamped at cells), and
finding the tile a periodic grid repeats."""

from __future__ import annotations

import numpy as np

from dsl.grid import MAX_SIDE
from dsl.primitives.common import checked, fresh, require_grid_shape, require_positive
from dsl.registry import Refused, primitive
from dsl.types import Grid, Int


@primitive(cost=1.0)
def tile(grid: Grid, rows: Int, cols: Int) -> Grid:
    """Repeat the grid rows times downwards and cols times across."""
    require_positive(rows, "rows")
    require_positive(cols, "cols")
    if rows == 1 and cols == 1:
        raise Refused("a 1x1 tiling does nothing")
    require_grid_shape(grid.shape[0] * rows, grid.shape[1] * cols)
    return checked(np.tile(grid, (rows, cols)))


@primitive(cost=1.0)
def mirror_tile_lr(grid: Grid) -> Grid:
    """The grid followed by its left-right mirror image."""
    return checked(np.hstack([grid, grid[:, ::-1]]))


@primitive(cost=1.0)
def mirror_tile_ud(grid: Grid) -> Grid:
    """The grid above its top-bottom mirror image."""
    return checked(np.vstack([grid, grid[::-1]]))


@primitive(cost=1.0)
def mirror_tile_2x2(grid: Grid) -> Grid:
    """A 2x2 block of mirror images: the grid, mirrored left-right, top-bottom, and both."""
    top = np.hstack([grid, grid[:, ::-1]])
    return checked(np.vstack([top, top[::-1]]))


@primitive(cost=1.5)
def rotate_tile_2x2(grid: Grid) -> Grid:
    """A 2x2 pinwheel of a square grid: itself, then its 90, 180 and 270 degree turns clockwise."""
    if grid.shape[0] != grid.shape[1]:
        raise Refused("a pinwheel needs a square grid")
    top = np.hstack([grid, np.rot90(grid, -1)])
    bottom = np.hstack([np.rot90(grid, 1), np.rot90(grid, 2)])
    return checked(np.vstack([top, bottom]))


@primitive(cost=2.0)
def stamp_at_cells(cells: Grid, pattern: Grid) -> Grid:
    """A copy of the pattern for every non-zero cell of the first grid, blank blocks for its zeros."""
    (h, w), (ph, pw) = cells.shape, pattern.shape
    if h * ph > MAX_SIDE or w * pw > MAX_SIDE:
        raise Refused(f"result would be {h * ph}x{w * pw}, over {MAX_SIDE} per side")
    return checked(np.kron((cells != 0).astype(np.uint8), pattern))


def _smallest_period(grid: Grid, axis: int) -> int:
    n = grid.shape[axis]
    for p in range(1, n):
        a, b = (grid[p:], grid[:-p]) if axis == 0 else (grid[:, p:], grid[:, :-p])
        if np.array_equal(a, b):
            return p
    return n


@primitive(cost=1.5)
def repeating_tile(grid: Grid) -> Grid:
    """The smallest tile whose repetition makes up the grid exactly (refuses a grid that does not repeat)."""
    py, px = _smallest_period(grid, 0), _smallest_period(grid, 1)
    if (py, px) == grid.shape:
        raise Refused("the grid does not repeat")
    return fresh(grid[:py, :px])

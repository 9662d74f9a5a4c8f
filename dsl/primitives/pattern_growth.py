"""Growing a grid by continuing the way its rows repeat."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import checked
from dsl.registry import Refused, primitive
from dsl.types import Grid


def _shifted(rows: np.ndarray, dx: int) -> np.ndarray:
    """The rows moved dx columns right (left if negative), blanks coming in."""
    out = np.zeros_like(rows)
    w = rows.shape[-1]
    if dx >= 0:
        out[..., dx:] = rows[..., : w - dx]
    else:
        out[..., :dx] = rows[..., -dx:]
    return out


def _first(row: np.ndarray) -> int:
    return int(np.flatnonzero(row)[0])


def _row_step(grid: Grid) -> tuple[int, int]:
    """The smallest period p (at most half the height) and the shift dx with every row equal to the
    row p above it moved dx columns."""
    h = grid.shape[0]
    top = next(i for i in range(h) if grid[i].any())
    for p in range(1, (h - top) // 2 + 1):
        if not grid[top + p].any():
            continue
        dx = _first(grid[top + p]) - _first(grid[top])
        if (_shifted(grid[:-p], dx) == grid[p:]).all():
            return p, dx
    raise Refused("the rows do not repeat")


@primitive(cost=2.0)
def continue_rows_to_square(grid: Grid) -> Grid:
    """Continue the rows' repetition (each period moved by a fixed shift) downward until the grid is
    as tall as it is wide."""
    h, w = grid.shape
    if h >= w or not grid.any():
        raise Refused("the grid must be wider than tall and not blank")
    p, dx = _row_step(grid)
    out = np.zeros((w, w), dtype=np.uint8)
    out[:h] = grid
    for i in range(h, w):
        out[i] = _shifted(out[i - p], dx)
    return checked(out)

"""Lines chosen by colour or by the grid's frame: whole rows and columns drawn from the cells of one
colour, diagonal rays from the corners of one colour's shapes, lines joining border markers that face
each other across the grid, and lines blank between the grid's frame."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import fresh, require_cells, require_color
from dsl.registry import Refused, primitive
from dsl.types import Color, Grid, Int

# shoot_diagonal's direction: 1 up-left, 2 up-right, 3 down-right, 4 down-left (clockwise corners)
_DIAGONALS = {1: (-1, -1), 2: (-1, 1), 3: (1, 1), 4: (1, -1)}


@primitive(cost=1.5)
def draw_rows_of(grid: Grid, c: Color) -> Grid:
    """Paint with colour c the background cells of every row holding a cell of colour c."""
    rows = require_cells(grid, c).any(axis=1)
    return fresh(np.where(rows[:, None] & (grid == 0), c, grid))


@primitive(cost=1.5)
def draw_columns_of(grid: Grid, c: Color) -> Grid:
    """Paint with colour c the background cells of every column holding a cell of colour c."""
    cols = require_cells(grid, c).any(axis=0)
    return fresh(np.where(cols[None, :] & (grid == 0), c, grid))


def _moved(mask: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """`mask` moved down dy and right dx (one step each way at most); vacated cells are False."""
    h, w = mask.shape
    out = np.zeros_like(mask)
    out[max(dy, 0) : h + min(dy, 0), max(dx, 0) : w + min(dx, 0)] = mask[
        max(-dy, 0) : h + min(-dy, 0), max(-dx, 0) : w + min(-dx, 0)
    ]
    return out


@primitive(cost=2.0)
def shoot_diagonal(grid: Grid, c: Color, d: Int) -> Grid:
    """Shoot a diagonal ray of colour c over background from each outer corner of colour c towards
    corner d (1 top-left, 2 top-right, 3 bottom-right, 4 bottom-left), stopping at non-zero cells."""
    if d not in _DIAGONALS:
        raise Refused(f"direction must be 1-4, got {d}")
    dy, dx = _DIAGONALS[d]
    own = require_cells(grid, c)
    # an outer corner: no cell of its own colour beside it on the ray's side, up/down or across
    tips = own & ~_moved(own, -dy, 0) & ~_moved(own, 0, -dx)
    background = grid == 0
    ray = np.zeros_like(own)
    front = tips
    while True:
        front = _moved(front, dy, dx) & background
        if not front.any():
            break
        ray |= front
    return fresh(np.where(ray, c, grid))


@primitive(cost=2.0)
def join_edge_markers(grid: Grid) -> Grid:
    """Only lines joining border cells that face each other across the grid in the same colour, for
    the colours found on the border alone; everything else is cleared."""
    h, w = grid.shape
    if h < 3 or w < 3:
        raise Refused("no interior to cross")
    counts = np.bincount(grid.ravel(), minlength=10)
    inner = np.bincount(grid[1:-1, 1:-1].ravel(), minlength=10)
    markers = (counts > 0) & (inner == 0)
    markers[0] = False
    out = np.zeros_like(grid)
    cols = (grid[0] == grid[-1]) & markers[grid[0]]
    out[:, cols] = grid[0, cols]
    rows = (grid[:, 0] == grid[:, -1]) & markers[grid[:, 0]]
    out[rows] = grid[rows, :1]
    if not (rows.any() or cols.any()):
        raise Refused("no facing border markers")
    return fresh(out)


@primitive(cost=2.0)
def fill_framed_lines(grid: Grid, c: Color) -> Grid:
    """Paint with colour c every row and column that is blank between its two end cells (the grid's
    frame), end cells left as they are."""
    require_color(c)
    h, w = grid.shape
    if h < 3 or w < 3:
        raise Refused("no inside between the ends")
    rows = ~grid[:, 1:-1].any(axis=1)
    cols = ~grid[1:-1, :].any(axis=0)
    if not (rows.any() or cols.any()):
        raise Refused("no line blank between its ends")
    return fresh(np.where((rows[:, None] | cols[None, :]) & (grid == 0), c, grid))

"""Clean-up: stray cells of one colour painted over, broken lines made whole."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import bounding_box, fresh, require_cells, require_color
from dsl.primitives.components import label
from dsl.registry import Refused, primitive
from dsl.types import Color, Grid

_OUTSIDE = 255  # marks the cells beyond the edge, which no colour count includes


def neighbour_counts(grid: Grid) -> np.ndarray:
    """(10, h, w): for every cell, how many of its four neighbours have each colour."""
    padded = np.pad(grid, 1, constant_values=_OUTSIDE)
    around = np.stack([padded[:-2, 1:-1], padded[2:, 1:-1], padded[1:-1, :-2], padded[1:-1, 2:]])
    return (around[None] == np.arange(10, dtype=np.uint8)[:, None, None, None]).sum(axis=1)


@primitive(cost=2.0)
def clean_noise(grid: Grid, c: Color) -> Grid:
    """Repaint each cell of colour c with the commonest other colour among its four neighbours
    (ties: a non-background colour, then the smaller; none: background)."""
    noise = require_cells(grid, c)
    counts = neighbour_counts(grid)
    counts[c] = 0
    score = 2 * counts + ((counts > 0) & (np.arange(10) != 0)[:, None, None])
    return fresh(np.where(noise, score.argmax(axis=0), grid))


@primitive(cost=2.0)
def complete_dashed_lines(grid: Grid, c: Color) -> Grid:
    """Within the bounding box of the non-zero cells, paint with colour c the gaps of every row and
    column that is more than half filled: broken lines made whole."""
    require_color(c)
    content = bounding_box(grid != 0)
    box = grid[content] != 0
    dense = (2 * box.sum(axis=1) > box.shape[1])[:, None] | (2 * box.sum(axis=0) > box.shape[0])[None, :]
    gaps = dense & ~box
    if not gaps.any():
        raise Refused("no broken line more than half filled")
    out = fresh(grid)
    out[content][gaps] = c
    return out


def _spill(out: np.ndarray, grid: Grid, r: int, col: int, dr: int, dc: int, c: int) -> None:
    """Paint c from (r, col) on in steps of (dr, dc) over background, up to the edge or a cell."""
    h, w = grid.shape
    while 0 <= r < h and 0 <= col < w and grid[r, col] == 0:
        out[r, col] = c
        r, col = r + dr, col + dc


@primitive(cost=2.0)
def fill_and_spill(grid: Grid, c: Color) -> Grid:
    """Fill the inside of every object's bounding box with colour c; through each gap in the box's
    rim (corners aside) c spills out in a straight line to the edge."""
    require_color(c)
    out = fresh(grid)
    for rows, cols in label(grid, 8, by_color=False).boxes:
        r0, r1, c0, c1 = rows.start, rows.stop - 1, cols.start, cols.stop - 1
        if r1 - r0 < 2 or c1 - c0 < 2:
            continue
        inner = out[r0 + 1 : r1, c0 + 1 : c1]
        inner[grid[r0 + 1 : r1, c0 + 1 : c1] == 0] = c
        for col in range(c0 + 1, c1):
            _spill(out, grid, r0, col, -1, 0, c)
            _spill(out, grid, r1, col, 1, 0, c)
        for r in range(r0 + 1, r1):
            _spill(out, grid, r, c0, 0, -1, c)
            _spill(out, grid, r, c1, 0, 1, c)
    if np.array_equal(out, grid):
        raise Refused("no object box with room inside")
    return out

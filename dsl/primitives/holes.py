"""Pin-holes in solid regions: a single background cell walled in by one colour, cut into a line
across its region."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import fresh
from dsl.primitives.components import label
from dsl.registry import Refused, primitive
from dsl.types import Grid

MAX_HOLES = 30


def _holes(grid: Grid) -> tuple[np.ndarray, np.ndarray]:
    """(rows, cols) of the background cells whose neighbours in the grid (4 of them) all share one
    non-zero colour."""
    padded = np.pad(grid.astype(np.int16), 1, constant_values=-1)  # -1: outside, agrees with anything
    sides = [padded[:-2, 1:-1], padded[2:, 1:-1], padded[1:-1, :-2], padded[1:-1, 2:]]
    colour = np.max(sides, axis=0)
    agree = np.logical_and.reduce([(s == colour) | (s == -1) for s in sides])
    return np.nonzero((grid == 0) & (colour > 0) & agree)


@primitive(cost=2.0)
def cut_at_holes(grid: Grid) -> Grid:
    """Extend each pin-hole (a background cell walled in by one colour) into a background line right
    across its region, along the region's shorter side: a hole in a wide band cuts it top to bottom."""
    rows, cols = _holes(grid)
    if rows.size == 0 or rows.size > MAX_HOLES:
        raise Refused("no pin-holes to cut from")
    regions = label(grid, 4, by_color=True)
    padded = np.pad(regions.labels, 1)
    up, down = padded[rows, cols + 1], padded[rows + 2, cols + 1]
    walls = np.max([up, down, padded[rows + 1, cols], padded[rows + 1, cols + 2]], axis=0)
    out = grid.copy()
    for r, c, wall in zip(rows, cols, walls, strict=True):
        i = wall - 1  # the region walling the hole in
        box = regions.boxes[i]
        height, width = box[0].stop - box[0].start, box[1].stop - box[1].start
        if height == width:
            raise Refused("a square region has no shorter side")
        line = (box[0], slice(c, c + 1)) if height < width else (slice(r, r + 1), box[1])
        out[line] = np.where(regions.labels[line] == i + 1, 0, out[line])
    return fresh(out)

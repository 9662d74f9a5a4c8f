"""Whole-grid arrangements: square holes filled, concentric rings reversed, rows sorted by length."""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from dsl.primitives.common import fresh, require_color
from dsl.primitives.regions import enclosed_mask
from dsl.registry import Refused, primitive
from dsl.types import Color, Grid


@primitive(cost=2.0)
def fill_square_holes(grid: Grid, c: Color) -> Grid:
    """Paint with colour c each enclosed region of background (4-connected) that is a filled square."""
    require_color(c)
    labels, _ = ndimage.label(enclosed_mask(grid))
    paint = np.zeros(grid.shape, dtype=bool)
    for k, (rows, cols) in enumerate(ndimage.find_objects(labels), 1):
        region = labels[rows, cols] == k
        if region.shape[0] == region.shape[1] and region.all():
            paint[rows, cols] = True
    return fresh(np.where(paint, c, grid))


@primitive(cost=2.0)
def reverse_rings(grid: Grid) -> Grid:
    """Reverse the colours of concentric rings: the outermost ring takes the innermost ring's colour,
    and so on inwards (refuses unless every ring is one colour)."""
    h, w = grid.shape
    i = np.arange(h)[:, None]
    j = np.arange(w)[None, :]
    ring = np.minimum(np.minimum(i, h - 1 - i), np.minimum(j, w - 1 - j))
    n = int(ring.max()) + 1
    if n < 2:
        raise Refused("fewer than two rings")
    first = grid[np.arange(n), np.arange(n)]  # ring k passes through cell (k, k)
    if (first[ring] != grid).any():
        raise Refused("a ring holds more than one colour")
    return fresh(first[::-1][ring])


@primitive(cost=1.5)
def sort_rows_by_count(grid: Grid) -> Grid:
    """Reorder the rows by how many non-zero cells they hold, fewest first (ties keep their order)."""
    counts = np.count_nonzero(grid, axis=1)
    if (counts[:-1] <= counts[1:]).all():
        raise Refused("rows already in order")
    return fresh(grid[np.argsort(counts, kind="stable")])

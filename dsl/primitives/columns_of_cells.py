"""Whole lines through cells: every column that holds a non-zero cell painted over its background
with one colour (rows: the same on the transposed grid)."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import fresh, require_color
from dsl.registry import Refused, primitive
from dsl.types import Color, Grid


@primitive(cost=2.0)
def paint_columns_of_cells(grid: Grid, c: Color) -> Grid:
    """Paint with colour c the background cells of every column that holds a non-zero cell."""
    require_color(c)
    if c == 0:
        raise Refused("lines of background change nothing")
    used = grid.any(axis=0, keepdims=True)
    if not used.any():
        raise Refused("no cells to draw lines through")
    return fresh(np.where((grid == 0) & used, c, grid))

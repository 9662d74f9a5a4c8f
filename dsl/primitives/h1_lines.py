"""Whole lines through cells: every column (or row) that holds a non-zero cell painted over its
background with one colour."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import fresh, require_color
from dsl.registry import Refused, primitive
from dsl.types import Color, Grid


def _paint_lines(grid: Grid, c: int, axis: int) -> Grid:
    require_color(c)
    if c == 0:
        raise Refused("lines of background change nothing")
    used = grid.any(axis=axis, keepdims=True)
    if not used.any():
        raise Refused("no cells to draw lines through")
    return fresh(np.where((grid == 0) & used, c, grid))


@primitive(cost=2.0)
def paint_columns_of_cells(grid: Grid, c: Color) -> Grid:
    """Paint with colour c the background cells of every column that holds a non-zero cell."""
    return _paint_lines(grid, c, axis=0)


@primitive(cost=2.0)
def paint_rows_of_cells(grid: Grid, c: Color) -> Grid:
    """Paint with colour c the background cells of every row that holds a non-zero cell."""
    return _paint_lines(grid, c, axis=1)

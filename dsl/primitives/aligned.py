"""Cells of one colour repainted from the nearest other colour in line with them: headers at a row's
start or a column's top, border lines on either side. The colour to repaint is a parameter; its cells
never serve as sources."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import FAR, LINE_VIEWS, fresh, nearest_of, nearest_on_left, require_cells
from dsl.primitives.components import label
from dsl.registry import primitive
from dsl.types import Color, Grid


def _nearest_in_line(grid: Grid, c: int) -> tuple[np.ndarray, np.ndarray]:
    """For every cell, the colour of and distance to the nearest cell in its row or column that is
    neither background nor colour c (ties: left, right, up, down)."""
    sources = np.where(grid == c, 0, grid)
    # a cell of colour c is no source, so "at or left of it" is strictly left for every cell repainted
    found = [tuple(back(x) for x in nearest_on_left(turn(sources))) for turn, back in LINE_VIEWS]
    return nearest_of([col for col, _ in found], [np.where(d < 0, FAR, d) for _, d in found])


@primitive(cost=2.0)
def recolor_from_aligned(grid: Grid, c: Color) -> Grid:
    """Repaint each cell of colour c with the nearest other non-background colour in its row or
    column; cells with none in line keep c."""
    target = require_cells(grid, c)
    colour, dist = _nearest_in_line(grid, c)
    return fresh(np.where(target & (dist < FAR), colour, grid))


@primitive(cost=2.0)
def recolor_objects_from_aligned(grid: Grid, c: Color) -> Grid:
    """Repaint each object of colour c (4-connected) whole with the colour nearest in line with any of
    its cells (a block under a header pixel, say); objects with none in line keep c."""
    target = require_cells(grid, c)
    colour, dist = _nearest_in_line(grid, c)
    labels = label(np.where(target, grid, 0), 4, by_color=True).labels.ravel()
    order = np.lexsort((dist.ravel(), labels))  # by object, nearest cell first
    starts = np.flatnonzero(np.diff(labels[order], prepend=-1))
    nearest = np.zeros(int(labels.max()) + 1, dtype=np.int64)
    nearest[labels[order[starts]]] = order[starts]
    reached = dist.ravel()[nearest] < FAR
    painted = np.where(reached, colour.ravel()[nearest], c)[labels].reshape(grid.shape)
    return fresh(np.where(target, painted, grid))

"""Summaries that draw the objects themselves as a small chart: the largest ones as bars of their
colour and size, or how many there are as a diagonal."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import checked
from dsl.primitives.components import label
from dsl.registry import Refused, primitive
from dsl.types import Conn, Grid


@primitive(cost=2.0)
def largest_object_bars(grid: Grid, conn: Conn) -> Grid:
    """The colours of the largest objects as columns as tall as their size, left to right by their
    leftmost column (refuses two of them starting in the same column)."""
    comps = label(grid, conn, by_color=True)
    if comps.count == 0:
        raise Refused("no object found")
    winners = np.flatnonzero(comps.sizes == comps.sizes.max())
    lefts = [comps.boxes[i][1].start for i in winners]
    if len(set(lefts)) < len(lefts):
        raise Refused("two largest objects start in the same column")
    order = winners[np.argsort(lefts)]
    colours = [int(grid[comps.mask(i)][0]) for i in order]
    return checked(np.tile(np.array(colours, dtype=np.uint8), (int(comps.sizes.max()), 1)))


@primitive(cost=2.0)
def count_diagonal(grid: Grid, conn: Conn) -> Grid:
    """An n x n grid, n the number of objects, with their one colour down the main diagonal (refuses
    objects of several colours)."""
    colours = np.unique(grid[grid != 0])
    if colours.size != 1:
        raise Refused("the objects must share one colour")
    n = label(grid, conn, by_color=True).count
    return checked(np.eye(n, dtype=np.uint8) * colours[0])

"""Paint each object with a number measured on it (its size, its size rank), so that a colour map
inferred after it recolours objects by that measure: `map_colors(paint_sizes(I, 4), m)` recolours
every object by its size. Measures above 9 refuse: they are not colours.
"""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import fresh
from dsl.primitives.components import label
from dsl.registry import Refused, primitive
from dsl.types import Conn, Grid


def _paint(labels: np.ndarray, per_object: np.ndarray) -> Grid:
    if per_object.size and per_object.max() > 9:
        raise Refused("an object's measure exceeds 9")
    return fresh(np.concatenate([[0], per_object])[labels])


@primitive(cost=1.5)
def paint_sizes(grid: Grid, conn: Conn) -> Grid:
    """Paint each object's cells with its cell count (1-9)."""
    comps = label(grid, conn, by_color=True)
    if comps.count == 0:
        raise Refused("no object found")
    return _paint(comps.labels, comps.sizes)


@primitive(cost=1.5)
def paint_size_ranks(grid: Grid, conn: Conn) -> Grid:
    """Paint each object's cells with the rank of its size, 1 for the largest; equal sizes share a rank."""
    comps = label(grid, conn, by_color=True)
    if comps.count == 0:
        raise Refused("no object found")
    distinct = np.unique(comps.sizes)[::-1]
    return _paint(comps.labels, np.searchsorted(-distinct, -comps.sizes) + 1)

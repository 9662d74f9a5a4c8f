"""The Kronecker product of a grid's two halves: one half's shape stamped at every cell of the other."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import checked
from dsl.registry import Refused, primitive
from dsl.types import Grid


@primitive(cost=2.0)
def stamp_halves(grid: Grid) -> Grid:
    """Cut the grid in two along its long side; at every cell of the many-coloured half put the
    one-colour half's shape, painted in that cell's colour."""
    h, w = grid.shape
    if h == w or max(h, w) % 2:
        raise Refused("no two equal halves along a long side")
    a, b = (grid[: h // 2], grid[h // 2 :]) if h > w else (grid[:, : w // 2], grid[:, w // 2 :])
    one_a, one_b = (np.unique(x[x != 0]).size == 1 for x in (a, b))
    if one_a == one_b:
        raise Refused("exactly one half must be of one colour")
    colours, shape = (b, a != 0) if one_a else (a, b != 0)
    return checked(np.kron(colours, shape.astype(np.uint8)))

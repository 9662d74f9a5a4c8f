"""Reflecting a grid about its last row or column, the edge line shared by both copies."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import checked
from dsl.registry import Refused, primitive
from dsl.types import Grid


@primitive(cost=1.5)
def reflect_down(grid: Grid) -> Grid:
    """The grid above its top-bottom mirror image, sharing the bottom row (2h - 1 rows)."""
    if grid.shape[0] < 2:
        raise Refused("a single row reflects onto itself")
    return checked(np.concatenate([grid, grid[-2::-1]]))


@primitive(cost=1.5)
def reflect_right(grid: Grid) -> Grid:
    """The grid beside its left-right mirror image, sharing the right column (2w - 1 columns)."""
    if grid.shape[1] < 2:
        raise Refused("a single column reflects onto itself")
    return checked(np.concatenate([grid, grid[:, -2::-1]], axis=1))

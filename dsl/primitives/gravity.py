"""Gravity: non-zero cells fall towards one side, keeping their order along the way."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import fresh, take_along
from dsl.registry import primitive
from dsl.types import Grid


def _fall(grid: Grid, axis: int, towards_end: bool) -> Grid:
    """Stable-sort each line so zero cells go first (falling towards the end) or last."""
    key = (grid != 0) if towards_end else (grid == 0)
    order = np.argsort(key, axis=axis, kind="stable")
    return fresh(take_along(grid, order, axis))


@primitive(cost=1.0)
def gravity_down(grid: Grid) -> Grid:
    """Let non-zero cells fall to the bottom of their column."""
    return _fall(grid, axis=0, towards_end=True)


@primitive(cost=1.0)
def gravity_up(grid: Grid) -> Grid:
    """Let non-zero cells rise to the top of their column."""
    return _fall(grid, axis=0, towards_end=False)


@primitive(cost=1.0)
def gravity_right(grid: Grid) -> Grid:
    """Push non-zero cells to the right end of their row."""
    return _fall(grid, axis=1, towards_end=True)


@primitive(cost=1.0)
def gravity_left(grid: Grid) -> Grid:
    """Push non-zero cells to the left end of their row."""
    return _fall(grid, axis=1, towards_end=False)

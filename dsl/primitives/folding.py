"""Folding a grid onto itself: its corner windows laid on top of each other."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import fresh, require_positive
from dsl.registry import Refused, primitive
from dsl.types import Grid, Int


@primitive(cost=2.0)
def overlay_corners(grid: Grid, k: Int) -> Grid:
    """Lay the k x k windows at the grid's four corners on top of each other (refuses a grid not larger
    than k both ways, or two corners with different colours on one cell)."""
    require_positive(k)
    h, w = grid.shape
    if h <= k or w <= k:
        raise Refused(f"grid {h}x{w} is not larger than {k} both ways")
    out = np.zeros((k, k), dtype=np.uint8)
    for window in (grid[:k, :k], grid[:k, -k:], grid[-k:, :k], grid[-k:, -k:]):
        if ((out != 0) & (window != 0) & (out != window)).any():
            raise Refused("the corners disagree on a cell")
        out = np.where(window != 0, window, out)
    return fresh(out)

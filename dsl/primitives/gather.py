"""Pieces scattered around markers of one colour, gathered onto one marker."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import fresh, require_cells
from dsl.registry import Refused, primitive
from dsl.types import Color, Grid


@primitive(cost=2.0)
def gather_around(grid: Grid, c: Color) -> Grid:
    """Overlay the 3x3 neighbourhoods of every cell of colour c into one 3x3 grid (refuses fewer than
    two such cells, or two pieces that disagree on a cell)."""
    rows, cols = np.nonzero(require_cells(grid, c))
    if rows.size < 2:
        raise Refused(f"fewer than two cells of colour {c}")
    windows = np.lib.stride_tricks.sliding_window_view(np.pad(grid, 1), (3, 3))[rows, cols]
    top = windows.max(axis=0)
    low = np.where(windows != 0, windows, 10).min(axis=0)
    if ((top != 0) & (top != low)).any():
        raise Refused("the gathered pieces overlap")
    return fresh(top)

"""Growing a grid by one cell on every side."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import checked
from dsl.registry import primitive
from dsl.types import Grid


@primitive(cost=2.0)
def extend_edges(grid: Grid) -> Grid:
    """Add a one-cell border that repeats the edge cells outward, with blank corners."""
    out = np.pad(grid, 1, mode="edge")
    out[0, 0] = out[0, -1] = out[-1, 0] = out[-1, -1] = 0
    return checked(out)

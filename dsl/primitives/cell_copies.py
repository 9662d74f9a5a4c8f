"""Cells between separator lines that share one pattern: the stacked pattern copied into every cell."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import fresh
from dsl.primitives.split import cell_layout
from dsl.registry import Refused, primitive
from dsl.types import Grid


@primitive(cost=2.0)
def spread_cells(grid: Grid) -> Grid:
    """Copy into every cell between separators the stack of all cells' non-zero cells (the one drawn
    cell, say, repeated into the blank ones); separators stay."""
    row_spans, col_spans = cell_layout(grid)
    cells = [grid[r, c] for r in row_spans for c in col_spans]
    if len({cell.shape for cell in cells}) > 1:
        raise Refused("cells differ in shape")
    stack = cells[0].copy()
    for cell in cells[1:]:
        stack = np.where(cell != 0, cell, stack)
    if not stack.any():
        raise Refused("every cell is blank")
    out = fresh(grid)
    for r in row_spans:
        for c in col_spans:
            out[r, c] = stack
    return out

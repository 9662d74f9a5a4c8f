"""The bounding box of one colour as a frame of reference: what lies inside it repainted, or the rest of
the picture moved into its middle."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import bounding_box, fresh, require_cells, require_color
from dsl.registry import Refused, primitive
from dsl.types import Color, Grid


@primitive(cost=2.0)
def recolor_in_box(grid: Grid, c: Color, b: Color) -> Grid:
    """Paint with colour b the cells of other colours (not background) inside the bounding box of the
    colour-c cells."""
    require_color(b)
    box = bounding_box(require_cells(grid, c))
    inside = grid[box]
    hit = (inside != 0) & (inside != c)
    if not hit.any():
        raise Refused(f"nothing else inside the box of colour {c}")
    out = grid.copy()
    out[box] = np.where(hit, b, inside)
    return fresh(out)


@primitive(cost=2.0)
def center_in_box(grid: Grid, c: Color) -> Grid:
    """Move everything not of colour c, as one piece, so that its bounding box sits in the middle of the
    bounding box of the colour-c cells (corner marks, a frame)."""
    box = bounding_box(require_cells(grid, c))
    anchor = grid == c
    rows, cols = np.nonzero((grid != 0) & ~anchor)
    if rows.size == 0:
        raise Refused("nothing to move")
    spare_r = (box[0].stop - box[0].start) - (rows.max() - rows.min() + 1)
    spare_c = (box[1].stop - box[1].start) - (cols.max() - cols.min() + 1)
    if spare_r < 0 or spare_c < 0 or spare_r % 2 or spare_c % 2:
        raise Refused("the piece does not sit centred in the box")
    dr = box[0].start + spare_r // 2 - rows.min()
    dc = box[1].start + spare_c // 2 - cols.min()
    out = np.where(anchor, grid, 0)
    landing = out[rows + dr, cols + dc]
    if landing.any():
        raise Refused("the piece lands on the box's own cells")
    out[rows + dr, cols + dc] = grid[rows, cols]
    return fresh(out)

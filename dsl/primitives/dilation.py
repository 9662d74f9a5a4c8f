"""Growth of one colour by a cell: the background cells beside it take it (a dot becomes a plus)."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import dilate4, fresh, require_color
from dsl.registry import Refused, primitive
from dsl.types import Color, Grid


@primitive(cost=1.5)
def grow_color(grid: Grid, c: Color) -> Grid:
    """Paint with colour c the background cells beside (4 neighbours) a cell of colour c: every dot of
    c becomes a plus, every line of c a band three wide."""
    require_color(c)
    cells = grid == c
    if c == 0 or not cells.any():
        raise Refused(f"no cells of colour {c}")
    grown = dilate4(cells) & (grid == 0)
    if not grown.any():
        raise Refused(f"colour {c} has no background beside it")
    return fresh(np.where(grown, np.uint8(c), grid))

"""Symmetry about a marker instead of the grid's centre: the pattern mirrored across the middle of
one colour's bounding box."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import bounding_box, fresh, require_cells
from dsl.registry import Refused, primitive
from dsl.types import Color, Grid


@primitive(cost=2.0)
def mirror_around(grid: Grid, c: Color) -> Grid:
    """Fill 0 cells from their left-right, top-bottom and half-turn mirror cells, mirrored across the
    middle of the bounding box of the colour-c cells (a pivot marker); mirror cells off the grid are
    ignored."""
    marker = require_cells(grid, c)
    if not ((grid != 0) & ~marker).any():
        raise Refused("nothing besides the marker to mirror")
    h, w = grid.shape
    rows, cols = bounding_box(marker)
    mirror_r = rows.start + rows.stop - 1 - np.arange(h)
    mirror_c = cols.start + cols.stop - 1 - np.arange(w)
    ok_r, ok_c = (mirror_r >= 0) & (mirror_r < h), (mirror_c >= 0) & (mirror_c < w)
    mirror_r, mirror_c = np.clip(mirror_r, 0, h - 1), np.clip(mirror_c, 0, w - 1)
    ident_r, ident_c = np.arange(h), np.arange(w)
    out = fresh(grid)
    for mr, mc, okr, okc in (
        (ident_r, mirror_c, np.ones(h, bool), ok_c),
        (mirror_r, ident_c, ok_r, np.ones(w, bool)),
        (mirror_r, mirror_c, ok_r, ok_c),
    ):
        source = np.where(np.outer(okr, okc), grid[np.ix_(mr, mc)], 0)
        out = np.where(out == 0, source, out)
    return fresh(out)

"""Diagonal rays out of the corners of shapes: every outer corner of the non-zero cells (a lone cell
has four) shoots a ray of one colour diagonally away from its shape over background, stopping at the
first non-zero cell or the edge. The shapes are taken together, whatever their colours, so a corner
where two shapes meet shoots nothing."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import fresh, pad, require_color
from dsl.registry import Refused, primitive
from dsl.types import Color, Grid

_DIAGONALS = ((-1, -1), (-1, 1), (1, 1), (1, -1))


@primitive(cost=2.0)
def corner_rays(grid: Grid, c: Color) -> Grid:
    """Shoot a diagonal ray of colour c over background out of every outer corner of the non-zero
    shapes, away from its shape, up to the first non-zero cell or the edge."""
    require_color(c)
    if c == 0:
        raise Refused("rays of background colour")
    h, w = grid.shape
    # one blank cell around, so every neighbour lookup stays inside
    filled = pad(grid != 0, 1).astype(bool)
    inner = (slice(1, h + 1), slice(1, w + 1))
    ray = np.zeros((h, w), dtype=bool)
    for dy, dx in _DIAGONALS:
        # a corner: nothing beside it on the ray's side, up or down nor across, nor diagonally ahead
        ahead_v = filled[1 + dy : h + 1 + dy, 1 : w + 1]
        ahead_h = filled[1 : h + 1, 1 + dx : w + 1 + dx]
        ahead_d = filled[1 + dy : h + 1 + dy, 1 + dx : w + 1 + dx]
        front = filled[inner] & ~ahead_v & ~ahead_h & ~ahead_d
        r, q = np.nonzero(front)
        while r.size:
            r, q = r + dy, q + dx
            keep = (r >= 0) & (r < h) & (q >= 0) & (q < w)
            r, q = r[keep], q[keep]
            keep = grid[r, q] == 0
            r, q = r[keep], q[keep]
            ray[r, q] = True
    if not ray.any():
        raise Refused("no corner has room for a ray")
    return fresh(np.where(ray, c, grid))

"""Stray cells drawing their trail to the straight line of their own colour: each paints the
background between itself and the nearest such line in its row or column, over cells of its colour
but not across another colour. (`pull_to_own_lines` moves the cells instead of drawing a trail.)"""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import fresh, in_runs_of_three, nearest_above
from dsl.registry import Refused, primitive
from dsl.types import Grid

# each direction as (a view of the grid in which it points up, that view's inverse, and a view cell's
# grid coordinates for a grid h x w)
_VIEWS = (
    (lambda a: a, lambda b: b, lambda i, j, h, w: (i, j)),
    (lambda a: a[::-1], lambda b: b[::-1], lambda i, j, h, w: (h - 1 - i, j)),
    (lambda a: a.T, lambda b: b.T, lambda i, j, h, w: (j, i)),
    (lambda a: a[:, ::-1].T, lambda b: b.T[:, ::-1], lambda i, j, h, w: (j, w - 1 - i)),
)


@primitive(cost=2.0)
def trail_to_own_lines(grid: Grid) -> Grid:
    """Every stray cell paints the background between itself and the nearest straight line (a run of
    3+ cells) of its own colour in its row or column, over its colour's cells but not across another."""
    lines = in_runs_of_three(grid) | in_runs_of_three(grid.T).T
    stray = (grid != 0) & ~lines
    if not stray.any() or not lines.any():
        raise Refused("no stray cells or no lines")
    h, w = grid.shape
    out = fresh(grid)
    painted = False
    for c in np.unique(grid[stray]):
        own_line, other = lines & (grid == c), (grid != 0) & (grid != c)
        best = np.full((h, w), h + w)
        goal = np.zeros((h, w, 2), dtype=np.int64)  # where the trail ends, in grid coordinates
        for view, unview, coords in _VIEWS:
            hit = nearest_above(view(own_line | other))
            cols = np.arange(hit.shape[1])[None, :]
            reach = (hit >= 0) & view(own_line)[np.maximum(hit, 0), cols]
            dist = unview(np.where(reach, np.arange(hit.shape[0])[:, None] - hit, h + w))
            ti, tj = coords(hit, np.broadcast_to(cols, hit.shape), h, w)
            closer = dist < best
            best = np.where(closer, dist, best)
            goal[..., 0] = np.where(closer, unview(ti), goal[..., 0])
            goal[..., 1] = np.where(closer, unview(tj), goal[..., 1])
        for i, j in zip(*np.nonzero(stray & (grid == c) & (best < h + w)), strict=True):
            ti, tj = goal[i, j]
            rs = slice(min(i, ti), max(i, ti) + 1)
            cs = slice(min(j, tj), max(j, tj) + 1)
            gap = out[rs, cs] == 0
            if gap.any():
                out[rs, cs][gap] = c
                painted = True
    if not painted:
        raise Refused("no trail to draw")
    return out

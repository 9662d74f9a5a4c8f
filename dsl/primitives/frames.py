"""Frames: a rectangle drawn by lines marks the part of the grid the answer is about. The box between
two full-length rows and two full-length columns is cut out with its lines, or a one-colour
rectangular outline is filled with the rest of the picture scaled to fit its inside."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import bounding_box, checked, fresh
from dsl.primitives.components import label
from dsl.registry import Refused, primitive
from dsl.types import Grid


def _line_mask(grid: Grid, across: np.ndarray) -> np.ndarray:
    """Rows that are lines: no background cell, and one colour wherever they do not cross one of the
    full lines the other way (`across`, a column mask)."""
    full = (grid != 0).all(axis=1)
    rest = grid[:, ~across]
    if rest.shape[1] == 0:
        return np.zeros(grid.shape[0], dtype=bool)
    return full & (rest == rest[:, :1]).all(axis=1)


@primitive(cost=2.0)
def crop_to_lines(grid: Grid) -> Grid:
    """Cut the box bounded by the first and last full-length line each way (rows and columns of one
    colour, crossed by the other lines), the lines included."""
    full_rows, full_cols = (grid != 0).all(axis=1), (grid != 0).all(axis=0)
    rows = np.flatnonzero(_line_mask(grid, full_cols))
    cols = np.flatnonzero(_line_mask(grid.T, full_rows))
    if rows.size < 2 or cols.size < 2:
        raise Refused("fewer than two lines each way")
    if rows.size == grid.shape[0] or cols.size == grid.shape[1]:
        raise Refused("the grid is all lines")
    return fresh(grid[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1])


def _frame(grid: Grid) -> tuple[slice, slice]:
    """The box of the one single-colour object that is exactly the outline of a rectangle of at least
    3 x 3 with a blank inside; refuses none or several."""
    comps = label(grid, 4, by_color=True)
    found = []
    for i, (rs, cs) in enumerate(comps.boxes):
        h, w = rs.stop - rs.start, cs.stop - cs.start
        if h < 3 or w < 3 or comps.sizes[i] != 2 * (h + w) - 4:
            continue
        own = comps.labels[rs, cs] == i + 1
        rim = own[0].all() and own[-1].all() and own[:, 0].all() and own[:, -1].all()
        if rim and not grid[rs.start + 1 : rs.stop - 1, cs.start + 1 : cs.stop - 1].any():
            found.append((rs, cs))
    if len(found) != 1:
        raise Refused(f"{len(found)} blank rectangular frames")
    return found[0]


@primitive(cost=2.0)
def fit_into_frame(grid: Grid) -> Grid:
    """The one blank rectangular frame, cut out, with everything outside it scaled up by whole factors
    to fill its inside exactly."""
    rs, cs = _frame(grid)
    rest = grid.copy()
    rest[rs, cs] = 0
    shape = rest[bounding_box(rest != 0)]
    out = grid[rs, cs].copy()
    inside_h, inside_w = out.shape[0] - 2, out.shape[1] - 2
    ky, ry = divmod(inside_h, shape.shape[0])
    kx, rx = divmod(inside_w, shape.shape[1])
    if ry or rx or ky == 0 or kx == 0:
        raise Refused("the shape does not scale to the frame's inside")
    out[1:-1, 1:-1] = np.repeat(np.repeat(shape, ky, axis=0), kx, axis=1)
    return checked(out)

"""Paths and moves between pixels: an elbow joining two cells, gaps closed from both ends, midpoints
marked, runs repeated along their line, cells gathered beside a colour in line, a bouncing ray."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import (
    LINE_STEPS,
    LINE_VIEWS,
    fresh,
    nearest_on_left,
    pad,
    require_cells,
    require_color,
)
from dsl.registry import Refused, primitive
from dsl.types import Color, Grid


@primitive(cost=2.0)
def join_elbow(grid: Grid, a: Color, c: Color) -> Grid:
    """Join the one cell of colour a to the one other non-zero cell with an L of colour c: along a's
    row to the other cell's column, then along that column (over background only)."""
    require_color(c)
    starts = np.argwhere(grid == a)
    others = np.argwhere((grid != 0) & (grid != a))
    if a == 0 or len(starts) != 1 or len(others) != 1:
        raise Refused("needs exactly one cell of colour a and one other non-zero cell")
    (r0, c0), (r1, c1) = starts[0], others[0]
    path = np.zeros(grid.shape, dtype=bool)
    path[r0, min(c0, c1) : max(c0, c1) + 1] = True
    path[min(r0, r1) : max(r0, r1) + 1, c1] = True
    return fresh(np.where(path & (grid == 0), c, grid))


def _facing(grid: Grid) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per row, for every background cell: the colours of the nearest non-zero cells on its left and
    on its right (0 if none) and its distances to them."""
    left, dl = nearest_on_left(grid)
    right, dr = nearest_on_left(grid[:, ::-1])
    return left, right[:, ::-1], dl, dr[:, ::-1]


def _halfway_rows(grid: Grid, c: int) -> np.ndarray:
    left, right, dl, dr = _facing(grid)
    gap = (grid == 0) & (left != 0) & (right != 0) & (left != right)
    return np.where(gap, np.select([dl < dr, dl > dr], [left, right], c), grid)


def _halfway(grid: Grid, c: int) -> Grid:
    require_color(c)
    out = _halfway_rows(grid, c)
    if np.array_equal(out, grid):
        raise Refused("no facing cells of different colours")
    return out


@primitive(cost=2.0)
def join_halfway_h(grid: Grid, c: Color) -> Grid:
    """Close the gap between horizontally facing cells of different colours: each colour fills its
    half, an odd middle cell gets colour c."""
    return fresh(_halfway(grid, c))


@primitive(cost=2.0)
def join_halfway_v(grid: Grid, c: Color) -> Grid:
    """Close the gap between vertically facing cells of different colours: each colour fills its
    half, an odd middle cell gets colour c."""
    return fresh(_halfway(grid.T, c).T)


def _midpoints_rows(grid: Grid) -> np.ndarray:
    left, right, dl, dr = _facing(grid)
    return (grid == 0) & (left != 0) & (left == right) & (dl == dr)


@primitive(cost=2.0)
def mark_midpoints(grid: Grid, c: Color) -> Grid:
    """Paint colour c on the middle cell of the gap between facing cells of the same colour in a
    row or column (gaps of odd length only)."""
    require_color(c)
    mid = _midpoints_rows(grid) | _midpoints_rows(grid.T).T
    if not mid.any():
        raise Refused("no facing pair of one colour with a middle cell")
    return fresh(np.where(mid, c, grid))


def _runs_repeated(grid: Grid) -> np.ndarray:
    """Per row whose non-zero cells form one run of two or more, that run repeated along the whole
    row in step with itself; other rows unchanged."""
    out = grid.copy()
    cols = np.arange(grid.shape[1])
    for r in np.flatnonzero((grid != 0).sum(axis=1) >= 2):
        nz = np.flatnonzero(grid[r])
        if nz[-1] - nz[0] + 1 == nz.size:
            out[r] = grid[r, nz[0] + (cols - nz[0]) % nz.size]
    return out


@primitive(cost=2.0)
def repeat_runs(grid: Grid) -> Grid:
    """Repeat every row's or column's single run of two or more non-zero cells along the whole line,
    in step with the run (rows first where they cross)."""
    rows, cols = _runs_repeated(grid), _runs_repeated(grid.T).T
    out = np.where(rows != grid, rows, cols)
    if np.array_equal(out, grid):
        raise Refused("no line with a single run of two or more cells to repeat")
    return fresh(out)


def _seen_on_left(grid: Grid) -> tuple[np.ndarray, np.ndarray]:
    """For every cell, the colour of and distance to the nearest non-zero cell strictly left of it in
    its row (colour 0 where there is none)."""
    colour, dist = nearest_on_left(pad(grid, ((0, 0), (1, 0)))[:, :-1])
    return colour, dist + 1


@primitive(cost=2.0)
def gather_to(grid: Grid, c: Color) -> Grid:
    """Move every other non-zero cell with a clear view of a colour-c cell along its row or column
    to right beside it (the nearest such cell; ties: left, right, up, down)."""
    require_cells(grid, c)
    movers = (grid != 0) & (grid != c)
    h, w = grid.shape
    rr, cc = np.indices(grid.shape)
    best = np.full(grid.shape, h + w)
    new_r, new_c = rr.copy(), cc.copy()
    for (turn, back), (dr, dc) in zip(LINE_VIEWS, LINE_STEPS, strict=True):
        colour, dist = (back(a) for a in _seen_on_left(np.ascontiguousarray(turn(grid))))
        nearer = movers & (colour == c) & (dist < best)
        best = np.where(nearer, dist, best)
        new_r = np.where(nearer, rr + dr * (dist - 1), new_r)
        new_c = np.where(nearer, cc + dc * (dist - 1), new_c)
    moving = movers & (best < h + w)
    if not (moving & (best > 1)).any():
        raise Refused("no cell has room to move towards a colour-c cell")
    out = np.where(moving, 0, grid)
    out[new_r[moving], new_c[moving]] = grid[moving]
    return fresh(out)


@primitive(cost=2.0)
def bounce_up(grid: Grid) -> Grid:
    """Shoot a diagonal ray up and to the right from every non-zero cell of the bottom row, bouncing
    off the side edges, over background cells."""
    h, w = grid.shape
    starts = np.flatnonzero(grid[-1])
    if w < 2 or h < 2 or starts.size == 0:
        raise Refused("no cell in the bottom row of a grid at least 2 wide")
    out = fresh(grid)
    steps = np.arange(h)
    rows = h - 1 - steps
    for x0 in starts:
        cols = (x0 + steps) % (2 * (w - 1))
        cols = np.where(cols > w - 1, 2 * (w - 1) - cols, cols)
        free = grid[rows, cols] == 0
        out[rows[free], cols[free]] = grid[-1, x0]
    return out

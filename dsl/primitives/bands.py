"""Bands: a strip of rows (or columns) running across the whole grid. A band repeated over the blank
rows around it, and loose cells piling up against a band of one colour from both sides."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import fresh, require_cells
from dsl.registry import Refused, primitive
from dsl.types import Color, Grid


def _repeated_rows(grid: Grid) -> Grid | None:
    """The rows from the first to the last non-blank one, repeated up and down over the grid with their
    count as period, in step with where they stand; None without blank rows to fill."""
    used = np.flatnonzero(grid.any(axis=1))
    if used.size == 0 or used.size == grid.shape[0]:
        return None
    first, last = used[0], used[-1]
    if first == 0 and last == grid.shape[0] - 1:
        return None  # blank rows only inside the band: nothing around it to repeat over
    period = last - first + 1
    return grid[first + (np.arange(grid.shape[0]) - first) % period]


@primitive(cost=2.0)
def repeat_band(grid: Grid) -> Grid:
    """Repeat the band of non-blank rows up and down over the whole grid, its height the period; when
    every row holds something, the band of non-blank columns left and right instead."""
    out = _repeated_rows(grid)
    if out is None:
        turned = _repeated_rows(grid.T)
        if turned is None:
            raise Refused("no band with blank lines around it")
        out = turned.T
    return fresh(out)


def _pile_lines(lines: np.ndarray, wall: np.ndarray) -> np.ndarray:
    """Per line (a row of `lines`): the cells before its first wall cell packed towards it, the cells
    after its last wall cell packed back towards it; lines without a wall cell stay."""
    out = lines.copy()
    n = lines.shape[1]
    for k in np.flatnonzero(wall.any(axis=1)):
        at = np.flatnonzero(wall[k])
        before, after = lines[k, : at[0]], lines[k, at[-1] + 1 :]
        out[k, : at[0]] = before[np.argsort(before != 0, kind="stable")]
        out[k, at[-1] + 1 : n] = after[np.argsort(after == 0, kind="stable")]
    return out


@primitive(cost=1.5)
def pile_onto_band(grid: Grid, c: Color) -> Grid:
    """Pull every other non-zero cell straight towards the band of colour c (rows across the whole grid,
    else columns down it), piling up against it from both sides."""
    wall = require_cells(grid, c)
    if wall.any(axis=0).all():  # c in every column: a band of rows, cells move up or down
        return fresh(_pile_lines(grid.T, wall.T).T)
    if wall.any(axis=1).all():
        return fresh(_pile_lines(grid, wall))
    raise Refused(f"colour {c} crosses the grid neither way")

"""Symmetry completion: background cells take the colour of their mirror cell, or of the same cell of
a repeating tile (translational symmetry)."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import fresh
from dsl.registry import Refused, primitive
from dsl.types import Grid


def _complete(grid: Grid, mirror: np.ndarray) -> Grid:
    return fresh(np.where(grid == 0, mirror, grid))


@primitive(cost=1.5)
def complete_symmetry_lr(grid: Grid) -> Grid:
    """Fill 0 cells from their left-right mirror cell."""
    return _complete(grid, grid[:, ::-1])


@primitive(cost=1.5)
def complete_symmetry_ud(grid: Grid) -> Grid:
    """Fill 0 cells from their top-bottom mirror cell."""
    return _complete(grid, grid[::-1])


@primitive(cost=1.5)
def complete_symmetry_rot(grid: Grid) -> Grid:
    """Fill 0 cells from the cell a half turn away."""
    return _complete(grid, grid[::-1, ::-1])


@primitive(cost=1.5)
def complete_symmetry_diag(grid: Grid) -> Grid:
    """Fill 0 cells of a square grid from their mirror cell across the main diagonal."""
    if grid.shape[0] != grid.shape[1]:
        raise Refused("diagonal symmetry needs a square grid")
    return _complete(grid, grid.T)


@primitive(cost=2.0)
def complete_symmetry_all(grid: Grid) -> Grid:
    """Fill 0 cells from any of the left-right, top-bottom and half-turn mirror cells."""
    out = grid
    for mirror in (out[:, ::-1], out[::-1], out[::-1, ::-1]):
        out = np.where(out == 0, mirror, out)
    return fresh(out)


def _periods(grid: Grid, axis: int) -> list[int]:
    """Periods p along an axis under which known (non-zero) cells p apart never disagree."""
    n = grid.shape[axis]
    found = []
    for p in range(1, n):
        a, b = (grid[p:], grid[:-p]) if axis == 0 else (grid[:, p:], grid[:, :-p])
        if not ((a != b) & (a != 0) & (b != 0)).any():
            found.append(p)
    return found


@primitive(cost=2.5)
def complete_pattern(grid: Grid) -> Grid:
    """Fill 0 cells from the smallest repeating tile that all non-zero cells agree with.

    Only for mostly-filled grids whose tile repeats at least twice: on sparse grids every small tile
    "fits" and the completion would be noise.
    """
    h, w = grid.shape
    known = grid != 0
    if 2 * np.count_nonzero(known) < grid.size:
        raise Refused("too sparse to be a repeating pattern")
    rows, cols = np.indices((h, w))
    candidates = sorted(
        (
            (py, px)
            for py in [*_periods(grid, 0), h]
            for px in [*_periods(grid, 1), w]
            if 2 * py * px <= h * w
        ),
        key=lambda p: (p[0] * p[1], p),
    )
    for py, px in candidates:
        cls = ((rows % py) * px + cols % px)[known]
        values = grid[known].astype(np.int64)
        count = np.bincount(cls, minlength=py * px)
        if not count.all():
            continue  # some cell of the tile is never seen
        total = np.bincount(cls, values, minlength=py * px)
        squares = np.bincount(cls, values * values, minlength=py * px)
        if (count * squares == total * total).all():  # zero variance: every class agrees
            tile_values = (total // count).astype(np.uint8)
            return fresh(tile_values[(rows % py) * px + cols % px])
    raise Refused("no repeating tile fits")

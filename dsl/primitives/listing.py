"""Summaries that list a grid's colours as a one-cell-wide strip: by how much of each there is, or in
the order they stand across the grid."""

from __future__ import annotations

import numpy as np

from dsl.registry import Refused, primitive
from dsl.types import Grid


def _present(grid: Grid) -> np.ndarray:
    """The non-zero colours the grid uses, ascending; refuses a blank grid."""
    colours = np.flatnonzero(np.bincount(grid.ravel(), minlength=10)[1:]) + 1
    if colours.size == 0:
        raise Refused("a blank grid lists no colours")
    return colours


def _column(colours: list[int]) -> Grid:
    return np.array(colours, dtype=np.uint8).reshape(-1, 1)


@primitive(cost=1.5)
def colors_by_count(grid: Grid) -> Grid:
    """A column of the non-zero colours, the most cells first (ties: the colour met first reading row
    by row)."""
    colours = _present(grid).tolist()
    counts = np.bincount(grid.ravel(), minlength=10)
    first = {c: int(np.flatnonzero(grid.ravel() == c)[0]) for c in colours}
    return _column(sorted(colours, key=lambda c: (-counts[c], first[c])))


@primitive(cost=1.5)
def colors_in_order(grid: Grid) -> Grid:
    """The non-zero colours in the order they stand across the grid: a row ordered by their mean column
    when they lie side by side, else a column ordered by their mean row (stripes, bands)."""
    colours = _present(grid)
    rows, cols = np.indices(grid.shape)
    mean_row = np.array([rows[grid == c].mean() for c in colours])
    mean_col = np.array([cols[grid == c].mean() for c in colours])
    side_by_side = np.ptp(mean_col) / grid.shape[1] > np.ptp(mean_row) / grid.shape[0]
    ordered = colours[np.argsort(mean_col if side_by_side else mean_row, kind="stable")].tolist()
    return _column(ordered).T.copy() if side_by_side else _column(ordered)

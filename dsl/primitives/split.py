"""Splitting a grid: halves, and the cells between separator lines (full rows or columns of one
non-zero colour)."""

from __future__ import annotations

from collections import Counter

import numpy as np

from dsl.grid import grid_key
from dsl.primitives.common import fresh
from dsl.registry import Refused, primitive
from dsl.types import Grid


def _halves(n: int) -> tuple[slice, slice]:
    """The first and second half of n lines; an odd middle line (often a separator) belongs to neither."""
    if n < 2:
        raise Refused("a single line has no halves")
    return slice(0, n // 2), slice(n - n // 2, n)


@primitive(cost=1.0)
def left_half(grid: Grid) -> Grid:
    """The left half; an odd middle column is dropped."""
    return fresh(grid[:, _halves(grid.shape[1])[0]])


@primitive(cost=1.0)
def right_half(grid: Grid) -> Grid:
    """The right half; an odd middle column is dropped."""
    return fresh(grid[:, _halves(grid.shape[1])[1]])


@primitive(cost=1.0)
def top_half(grid: Grid) -> Grid:
    """The top half; an odd middle row is dropped."""
    return fresh(grid[_halves(grid.shape[0])[0]])


@primitive(cost=1.0)
def bottom_half(grid: Grid) -> Grid:
    """The bottom half; an odd middle row is dropped."""
    return fresh(grid[_halves(grid.shape[0])[1]])


def separator_rows(grid: Grid) -> np.ndarray:
    """Mask of rows made entirely of one non-zero colour."""
    return (grid == grid[:, :1]).all(axis=1) & (grid[:, 0] != 0)


def _spans(separators: np.ndarray) -> list[slice]:
    """The maximal runs of non-separator lines."""
    spans, start = [], None
    for i, sep in enumerate(separators.tolist() + [True]):
        if not sep and start is None:
            start = i
        elif sep and start is not None:
            spans.append(slice(start, i))
            start = None
    return spans


def split_cells(grid: Grid) -> list[Grid]:
    """The cells between separator lines in reading order; refuses a grid without separators."""
    rows, cols = separator_rows(grid), separator_rows(grid.T)
    if not rows.any() and not cols.any():
        raise Refused("no separator lines")
    cells = [grid[r, c] for r in _spans(rows) for c in _spans(cols)]
    if len(cells) < 2:
        raise Refused("separators leave fewer than two cells")
    return cells


def _equal_cells(grid: Grid) -> list[Grid]:
    cells = split_cells(grid)
    if len({c.shape for c in cells}) > 1:
        raise Refused("cells differ in shape")
    return cells


@primitive(cost=2.0)
def overlay_cells(grid: Grid) -> Grid:
    """Stack the equal-sized cells between separators, later cells' non-zero cells on top."""
    cells = _equal_cells(grid)
    out = cells[0].copy()
    for cell in cells[1:]:
        out = np.where(cell != 0, cell, out)
    return fresh(out)


def _unique_extreme(cells: list[Grid], scores: list[int], largest: bool) -> Grid:
    best = max(scores) if largest else min(scores)
    if scores.count(best) > 1:
        raise Refused("several cells tie")
    return fresh(cells[scores.index(best)])


@primitive(cost=2.0)
def densest_cell(grid: Grid) -> Grid:
    """The cell between separators with the most non-zero cells (refuses ties)."""
    cells = split_cells(grid)
    return _unique_extreme(cells, [int(np.count_nonzero(c)) for c in cells], largest=True)


@primitive(cost=2.0)
def sparsest_cell(grid: Grid) -> Grid:
    """The cell between separators with the fewest non-zero cells (refuses ties)."""
    cells = split_cells(grid)
    return _unique_extreme(cells, [int(np.count_nonzero(c)) for c in cells], largest=False)


@primitive(cost=2.0)
def odd_cell(grid: Grid) -> Grid:
    """The one cell between separators unlike all others (at least three cells, the rest alike)."""
    cells = split_cells(grid)
    keys = [grid_key(c) for c in cells]
    counts = Counter(keys)
    if len(cells) < 3 or len(counts) != 2 or sorted(counts.values())[0] != 1:
        raise Refused("no single odd cell")
    odd = min(counts, key=counts.__getitem__)
    return fresh(cells[keys.index(odd)])

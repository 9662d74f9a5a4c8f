"""Splitting a grid: halves, and the cells between separator lines (full rows or columns of one
non-zero colour, or blank lines where no such line exists)."""

from __future__ import annotations

from collections import Counter

import numpy as np

from dsl.grid import grid_key
from dsl.primitives.common import fresh
from dsl.registry import Refused, primitive
from dsl.types import Color, Grid


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


@primitive(cost=1.5)
def recolor_lower_half(grid: Grid, c: Color) -> Grid:
    """The non-zero cells of the lower half of the rows painted `c` (an odd middle row stays): run on
    each object's box (`per_object`), it marks the lower half of every bar or shape."""
    out = fresh(grid)
    lower = out[grid.shape[0] - grid.shape[0] // 2 :]
    lower[lower != 0] = c
    return out


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


def separator_lines(grid: Grid) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the separator rows and columns: full lines of one non-zero colour, keeping only the
    colour with the most such lines (a cell's own full line of another colour is not a separator)."""
    rows, cols = separator_rows(grid), separator_rows(grid.T)
    colours = np.concatenate([grid[rows, 0], grid[0, cols]])
    if colours.size and (colours != colours[0]).any():
        main = np.bincount(colours, minlength=10).argmax()
        rows, cols = rows & (grid[:, 0] == main), cols & (grid[0] == main)
    return rows, cols


def blank_rows(grid: Grid) -> np.ndarray:
    """Mask of rows that are entirely 0."""
    return ~grid.any(axis=1)


def cell_layout(grid: Grid) -> tuple[list[slice], list[slice]]:
    """Row and column spans of the cells: between separator lines of one non-zero colour if there are
    any, else between blank lines (blocks set apart by empty space). Refuses a single cell."""
    rows, cols = separator_lines(grid)
    if not rows.any() and not cols.any():
        rows, cols = blank_rows(grid), blank_rows(grid.T)
    row_spans, col_spans = _spans(rows), _spans(cols)
    if len(row_spans) * len(col_spans) < 2:
        raise Refused("fewer than two cells")
    return row_spans, col_spans


def split_cells(grid: Grid) -> list[Grid]:
    """The cells of `cell_layout` in reading order."""
    row_spans, col_spans = cell_layout(grid)
    return [grid[r, c] for r in row_spans for c in col_spans]


def _equal_cells(grid: Grid) -> list[Grid]:
    cells = split_cells(grid)
    if len({c.shape for c in cells}) > 1:
        raise Refused("cells differ in shape")
    return cells


def _stack(cells: list[Grid]) -> Grid:
    out = cells[0].copy()
    for cell in cells[1:]:
        out = np.where(cell != 0, cell, out)
    return fresh(out)


@primitive(cost=2.0)
def overlay_cells(grid: Grid) -> Grid:
    """Stack the equal-sized cells between separators, later cells' non-zero cells on top."""
    return _stack(_equal_cells(grid))


@primitive(cost=2.0)
def underlay_cells(grid: Grid) -> Grid:
    """Stack the equal-sized cells between separators, earlier cells' non-zero cells on top."""
    return _stack(_equal_cells(grid)[::-1])


@primitive(cost=2.0)
def cell_colors(grid: Grid) -> Grid:
    """One pixel per cell, in the cells' layout: the cell's commonest non-zero colour (0 if blank)."""
    row_spans, col_spans = cell_layout(grid)
    out = np.zeros((len(row_spans), len(col_spans)), dtype=np.uint8)
    for i, r in enumerate(row_spans):
        for j, c in enumerate(col_spans):
            counts = np.bincount(grid[r, c].ravel(), minlength=10)[1:]
            out[i, j] = 1 + int(counts.argmax()) if counts.any() else 0
    return out


@primitive(cost=2.0)
def paint_cells(grid: Grid, colors: Grid) -> Grid:
    """Fill every cell between separators with the pixel of `colors` at the cell's place in the
    layout (0 clears it): the way back from a one-pixel-per-cell grid such as `cell_colors` gives."""
    h, w = colors.shape
    if 2 * h > grid.shape[0] + 1 or 2 * w > grid.shape[1] + 1:
        raise Refused("more pixels than the grid can have cells")
    row_spans, col_spans = cell_layout(grid)
    if (len(row_spans), len(col_spans)) != (h, w):
        raise Refused(f"{len(row_spans)}x{len(col_spans)} cells, {h}x{w} pixels")
    out = fresh(grid)
    for i, r in enumerate(row_spans):
        for j, c in enumerate(col_spans):
            out[r, c] = colors[i, j]
    return out


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


@primitive(cost=2.0)
def cell_counts(grid: Grid) -> Grid:
    """One pixel per cell, in the cells' layout: how many non-zero cells the cell holds (1-9, 0 if
    blank), for a colour map to recolour by count; refuses a count over 9."""
    row_spans, col_spans = cell_layout(grid)
    out = np.array([[np.count_nonzero(grid[r, c]) for c in col_spans] for r in row_spans])
    if out.max() > 9:
        raise Refused("a cell holds more than 9 coloured cells")
    return fresh(out)

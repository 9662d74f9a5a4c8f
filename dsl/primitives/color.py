"""Colour operations: replace, swap, keep or remove one colour, colour maps, colour statistics and
counts."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import fresh, require_color
from dsl.registry import Refused, primitive
from dsl.types import Color, ColorMap, Grid, Int


def _counts(grid: Grid) -> np.ndarray:
    return np.bincount(grid.ravel(), minlength=10)


@primitive(cost=1.0)
def replace_color(grid: Grid, a: Color, b: Color) -> Grid:
    """Paint every cell of colour a with colour b."""
    require_color(b)
    if a == b:
        raise Refused("replacing a colour by itself does nothing")
    return fresh(np.where(grid == a, b, grid))


@primitive(cost=1.5)
def swap_colors(grid: Grid, a: Color, b: Color) -> Grid:
    """Exchange colours a and b."""
    require_color(a)
    require_color(b)
    if a == b:
        raise Refused("swapping a colour with itself does nothing")
    return fresh(np.where(grid == a, b, np.where(grid == b, a, grid)))


@primitive(cost=1.0)
def keep_color(grid: Grid, c: Color) -> Grid:
    """Keep the cells of colour c, clear all others to 0."""
    return fresh(np.where(grid == c, grid, 0))


@primitive(cost=1.0)
def remove_color(grid: Grid, c: Color) -> Grid:
    """Clear the cells of colour c to 0."""
    if c == 0:
        raise Refused("removing the background does nothing")
    return fresh(np.where(grid == c, 0, grid))


@primitive(cost=1.0)
def map_colors(grid: Grid, m: ColorMap) -> Grid:
    """Recolour by a ten-digit map: colour i becomes int(m[i])."""
    if len(m) != 10 or not m.isdigit() or not m.isascii():
        raise Refused(f"colour map must be ten digits, got {m!r}")
    table = np.frombuffer(m.encode(), dtype=np.uint8) - ord("0")
    return fresh(table[grid])


@primitive(cost=1.0)
def recolor_nonzero(grid: Grid, c: Color) -> Grid:
    """Paint every non-zero cell with colour c."""
    require_color(c)
    return fresh(np.where(grid != 0, c, 0))


@primitive(cost=1.0)
def invert(grid: Grid, c: Color) -> Grid:
    """Swap figure and ground: 0 cells become c, non-zero cells become 0."""
    require_color(c)
    if c == 0:
        raise Refused("inverting to colour 0 clears the grid")
    return fresh(np.where(grid == 0, c, 0))


@primitive(cost=1.0)
def most_common_color(grid: Grid) -> Color:
    """The colour of the most cells, background included (ties: the smaller colour)."""
    return Color(int(np.argmax(_counts(grid))))


@primitive(cost=1.0)
def least_common_color(grid: Grid) -> Color:
    """The colour of the fewest cells among those present (ties: the smaller colour)."""
    counts = _counts(grid)
    return Color(int(np.argmin(np.where(counts > 0, counts, grid.size + 1))))


@primitive(cost=1.0)
def most_common_nonzero_color(grid: Grid) -> Color:
    """The commonest non-background colour (ties: the smaller colour); refuses a blank grid."""
    counts = _counts(grid)
    if not counts[1:].any():
        raise Refused("grid has no non-zero cell")
    return Color(1 + int(np.argmax(counts[1:])))


@primitive(cost=1.0)
def count_colors(grid: Grid) -> Int:
    """How many non-background colours the grid uses (a factor for upscale or tile); refuses none."""
    n = int(np.count_nonzero(_counts(grid)[1:]))
    if n == 0:
        raise Refused("grid has no non-zero cell")
    return Int(n)


@primitive(cost=2.0)
def color_histogram(grid: Grid) -> Grid:
    """A bar chart of the non-background colours: one column per colour, commonest first (ties: the
    smaller colour), filled from the top with as many cells as the colour has."""
    counts = _counts(grid)[1:]
    order = np.argsort(-counts, kind="stable")
    order = order[counts[order] > 0]
    if order.size == 0:
        raise Refused("grid has no non-zero cell")
    height = int(counts.max())
    if height > 30:
        raise Refused(f"a colour has {height} cells, over 30")
    filled = np.arange(height)[:, None] < counts[order][None, :]
    return fresh(np.where(filled, order + 1, 0))


@primitive(cost=1.5)
def fill_with_majority(grid: Grid) -> Grid:
    """Paint every non-zero cell with the commonest non-background colour."""
    return recolor_nonzero(grid, most_common_nonzero_color(grid))


def _row_majorities(grid: Grid) -> np.ndarray:
    """Each row painted with its commonest colour (ties: the lower colour)."""
    counts = (grid[:, :, None] == np.arange(10)).sum(axis=1)
    return np.repeat(counts.argmax(axis=1)[:, None], grid.shape[1], axis=1)


@primitive(cost=1.5)
def majority_stripes(grid: Grid) -> Grid:
    """Clean noisy stripes: paint each row with its commonest colour, or each column when that keeps
    more of the grid (bands may run either way)."""
    by_row = _row_majorities(grid)
    by_col = _row_majorities(grid.T).T
    keep_rows = (by_row == grid).sum() >= (by_col == grid).sum()
    return fresh(by_row if keep_rows else by_col)

"""Cropping: cut a grid down to its content, a colour's box, its non-repeating lines, or a window at
a fixed place."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import crop_to_mask, fresh
from dsl.registry import Refused, primitive
from dsl.types import Color, Grid, Window

CORNERS = ("tl", "tr", "bl", "br")


@primitive(cost=1.0)
def crop_to_content(grid: Grid) -> Grid:
    """Cut the bounding box of the non-zero cells."""
    return crop_to_mask(grid, grid != 0)


@primitive(cost=1.5)
def crop_to_color(grid: Grid, c: Color) -> Grid:
    """Cut the bounding box of the cells of colour c, whatever else lies inside it."""
    return crop_to_mask(grid, grid == c)


@primitive(cost=1.5)
def drop_blank_lines(grid: Grid) -> Grid:
    """Delete the rows and columns that are entirely 0."""
    rows = grid.any(axis=1)
    cols = grid.any(axis=0)
    if not rows.any():
        raise Refused("grid is blank")
    return fresh(grid[rows][:, cols])


@primitive(cost=1.5)
def dedupe_lines(grid: Grid) -> Grid:
    """Collapse runs of identical adjacent rows, then of identical adjacent columns, to one each."""
    rows = np.ones(grid.shape[0], dtype=bool)
    rows[1:] = (grid[1:] != grid[:-1]).any(axis=1)
    g = grid[rows]
    cols = np.ones(g.shape[1], dtype=bool)
    cols[1:] = (g[:, 1:] != g[:, :-1]).any(axis=0)
    return fresh(g[:, cols])


@primitive(cost=1.0)
def trim_border(grid: Grid) -> Grid:
    """Cut away the outermost rows and columns."""
    if grid.shape[0] < 3 or grid.shape[1] < 3:
        raise Refused("nothing would remain inside the border")
    return fresh(grid[1:-1, 1:-1])


def parse_window(window: str) -> tuple[str, int, int, int, int]:
    """`corner:dr,dc,h,w` -> (corner, rows from that corner's edge, columns from its edge, height, width)."""
    try:
        corner, numbers = window.split(":")
        dr, dc, h, w = (int(v) for v in numbers.split(","))
    except ValueError:
        raise Refused(f"malformed window {window!r}") from None
    if corner not in CORNERS or min(dr, dc) < 0 or min(h, w) < 1:
        raise Refused(f"malformed window {window!r}")
    return corner, dr, dc, h, w


def from_corner(corner: str, r: int, c: int, spare_rows: int, spare_cols: int) -> tuple[int, int]:
    """A window's place measured from `corner` instead of the top-left, or back (the map is its own
    inverse); `spare_rows`, `spare_cols`: how much the grid exceeds the window."""
    return (r if corner[0] == "t" else spare_rows - r, c if corner[1] == "l" else spare_cols - c)


@primitive(cost=1.0)
def crop_window(grid: Grid, window: Window) -> Grid:
    """Cut an h x w window dr rows and dc columns in from one corner (`tl:0,0,2,2`: the top-left 2x2)."""
    corner, dr, dc, h, w = parse_window(window)
    r, c = from_corner(corner, dr, dc, grid.shape[0] - h, grid.shape[1] - w)
    if r < 0 or c < 0 or r + h > grid.shape[0] or c + w > grid.shape[1]:
        raise Refused(f"window {window} does not fit a {grid.shape[0]}x{grid.shape[1]} grid")
    return fresh(grid[r : r + h, c : c + w])

"""The eight symmetries of the square, and translation."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import fresh
from dsl.registry import Refused, primitive
from dsl.types import Grid, Offset


@primitive(cost=1.0)
def rotate_90(grid: Grid) -> Grid:
    """Rotate a quarter turn clockwise."""
    return fresh(np.rot90(grid, -1))


@primitive(cost=1.0)
def rotate_180(grid: Grid) -> Grid:
    """Rotate a half turn."""
    return fresh(grid[::-1, ::-1])


@primitive(cost=1.0)
def rotate_270(grid: Grid) -> Grid:
    """Rotate a quarter turn counter-clockwise."""
    return fresh(np.rot90(grid, 1))


@primitive(cost=1.0)
def flip_lr(grid: Grid) -> Grid:
    """Mirror left to right."""
    return fresh(grid[:, ::-1])


@primitive(cost=1.0)
def flip_ud(grid: Grid) -> Grid:
    """Mirror top to bottom."""
    return fresh(grid[::-1, :])


@primitive(cost=1.0)
def transpose(grid: Grid) -> Grid:
    """Mirror across the main diagonal."""
    return fresh(grid.T)


@primitive(cost=1.0)
def anti_transpose(grid: Grid) -> Grid:
    """Mirror across the anti-diagonal."""
    return fresh(grid[::-1, ::-1].T)


@primitive(cost=1.0)
def shift(grid: Grid, dy: Offset, dx: Offset) -> Grid:
    """Move every cell down dy and right dx; vacated cells become 0, cells pushed off the edge are lost."""
    h, w = grid.shape
    if dy == 0 and dx == 0:
        raise Refused("shift by (0, 0) does nothing")
    out = np.zeros((h, w), dtype=np.uint8)
    if abs(dy) < h and abs(dx) < w:
        out[max(dy, 0) : h + min(dy, 0), max(dx, 0) : w + min(dx, 0)] = grid[
            max(-dy, 0) : h + min(-dy, 0), max(-dx, 0) : w + min(-dx, 0)
        ]
    return out

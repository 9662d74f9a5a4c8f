"""The eight symmetries of the square, and translation."""

from __future__ import annotations

import numpy as np

from dsl.registry import primitive
from dsl.types import Grid


@primitive(cost=1.0)
def rotate_90(grid: Grid) -> Grid:
    """Rotate a quarter turn clockwise."""
    return np.ascontiguousarray(np.rot90(grid, -1))


@primitive(cost=1.0)
def rotate_180(grid: Grid) -> Grid:
    """Rotate a half turn."""
    return np.ascontiguousarray(grid[::-1, ::-1])


@primitive(cost=1.0)
def rotate_270(grid: Grid) -> Grid:
    """Rotate a quarter turn counter-clockwise."""
    return np.ascontiguousarray(np.rot90(grid, 1))


@primitive(cost=1.0)
def flip_lr(grid: Grid) -> Grid:
    """Mirror left to right."""
    return np.ascontiguousarray(grid[:, ::-1])


@primitive(cost=1.0)
def flip_ud(grid: Grid) -> Grid:
    """Mirror top to bottom."""
    return np.ascontiguousarray(grid[::-1, :])


@primitive(cost=1.0)
def transpose(grid: Grid) -> Grid:
    """Mirror across the main diagonal."""
    return np.ascontiguousarray(grid.T)


@primitive(cost=1.0)
def anti_transpose(grid: Grid) -> Grid:
    """Mirror across the anti-diagonal."""
    return np.ascontiguousarray(grid[::-1, ::-1].T)

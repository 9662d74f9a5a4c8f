"""Combining two grids of equal shape cell by cell: boolean logic on non-zero cells, and overlay."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import fresh, require_color, require_same_shape
from dsl.registry import primitive
from dsl.types import Color, Grid


def _paint(c: int, where: np.ndarray) -> Grid:
    require_color(c)
    return fresh(np.where(where, c, 0))


@primitive(cost=1.5)
def cell_and(a: Grid, b: Grid, c: Color) -> Grid:
    """Colour c where both grids are non-zero, else 0."""
    require_same_shape(a, b)
    return _paint(c, (a != 0) & (b != 0))


@primitive(cost=1.5)
def cell_or(a: Grid, b: Grid, c: Color) -> Grid:
    """Colour c where either grid is non-zero, else 0."""
    require_same_shape(a, b)
    return _paint(c, (a != 0) | (b != 0))


@primitive(cost=1.5)
def cell_xor(a: Grid, b: Grid, c: Color) -> Grid:
    """Colour c where exactly one grid is non-zero, else 0."""
    require_same_shape(a, b)
    return _paint(c, (a != 0) != (b != 0))


@primitive(cost=1.5)
def cell_nor(a: Grid, b: Grid, c: Color) -> Grid:
    """Colour c where both grids are 0, else 0."""
    require_same_shape(a, b)
    return _paint(c, (a == 0) & (b == 0))


@primitive(cost=1.5)
def cell_diff(a: Grid, b: Grid, c: Color) -> Grid:
    """Colour c where the first grid is non-zero and the second is 0, else 0."""
    require_same_shape(a, b)
    return _paint(c, (a != 0) & (b == 0))


@primitive(cost=1.0)
def overlay(a: Grid, b: Grid) -> Grid:
    """The first grid with the second's non-zero cells painted over it."""
    require_same_shape(a, b)
    return fresh(np.where(b != 0, b, a))


@primitive(cost=1.5)
def mask_with(a: Grid, b: Grid) -> Grid:
    """The first grid's cells where the second is non-zero, else 0."""
    require_same_shape(a, b)
    return fresh(np.where(b != 0, a, 0))

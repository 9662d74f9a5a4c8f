"""Regions of background: filling the ones enclosed by non-zero cells, open to the border, or inside
objects' or colours' bounding boxes."""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from dsl.primitives.common import dilate4, fresh, per_grid, require_color
from dsl.primitives.components import label
from dsl.registry import Refused, primitive
from dsl.types import Color, Grid


@per_grid
def enclosed_mask(grid: Grid) -> np.ndarray:
    """Background cells with no 4-connected path of background cells to the border."""
    labels, _ = ndimage.label(grid == 0)
    border = np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]])
    outside = np.isin(labels, border[border != 0])
    return (labels != 0) & ~outside


@primitive(cost=1.5)
def fill_enclosed(grid: Grid, c: Color) -> Grid:
    """Paint with colour c the background cells not 4-connected to the border through background."""
    require_color(c)
    return fresh(np.where(enclosed_mask(grid), c, grid))


@primitive(cost=1.5)
def keep_enclosed(grid: Grid, c: Color) -> Grid:
    """Only the enclosed background cells, painted c; everything else 0."""
    require_color(c)
    return fresh(np.where(enclosed_mask(grid), c, 0))


@primitive(cost=1.5)
def fill_outside(grid: Grid, c: Color) -> Grid:
    """Paint with colour c the background cells 4-connected to the border through background."""
    require_color(c)
    return fresh(np.where((grid == 0) & ~enclosed_mask(grid), c, grid))


@primitive(cost=2.0)
def fill_object_boxes(grid: Grid, c: Color) -> Grid:
    """Paint with colour c the background cells inside the bounding box of each 8-connected object."""
    require_color(c)
    inside = np.zeros(grid.shape, dtype=bool)
    for box in label(grid, 8, by_color=False).boxes:
        inside[box] = True
    return fresh(np.where(inside & (grid == 0), c, grid))


@primitive(cost=2.0)
def fill_color_boxes(grid: Grid) -> Grid:
    """Paint the background cells inside each colour's bounding box with that colour (smaller colours
    first): scattered cells of one colour, such as two corners, span a filled rectangle."""
    out = fresh(grid)
    colours = np.flatnonzero(np.bincount(grid.ravel(), minlength=10)[1:]) + 1
    if colours.size == 0:
        raise Refused("a blank grid has no colour boxes")
    for c in colours.tolist():
        rows = np.flatnonzero((grid == c).any(axis=1))
        cols = np.flatnonzero((grid == c).any(axis=0))
        box = out[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
        box[box == 0] = c
    return out


@primitive(cost=1.5)
def flood_from(grid: Grid, c: Color) -> Grid:
    """Flood colour c into every region of background (4-connected) that touches a cell of colour c."""
    require_color(c)
    if c == 0:
        raise Refused("flooding from the background colour changes nothing")
    labels, n = ndimage.label(grid == 0)
    flooded = np.zeros(n + 1, dtype=bool)  # per label (a table lookup rather than np.isin)
    flooded[labels[dilate4(grid == c) & (labels != 0)]] = True  # never label 0, the non-background
    return fresh(np.where(flooded[labels], c, grid))

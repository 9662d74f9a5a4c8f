"""Regions of background: filling the ones enclosed by non-zero cells, open to the border, or inside
objects' bounding boxes."""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from dsl.primitives.common import fresh, per_grid, require_color
from dsl.primitives.components import label
from dsl.registry import primitive
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

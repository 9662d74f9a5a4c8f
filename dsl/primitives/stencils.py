"""A big one-colour shape used as a stencil over a small patch of colours."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import bounding_box, fresh
from dsl.primitives.components import label
from dsl.registry import Refused, primitive
from dsl.types import Grid


@primitive(cost=2.0)
def stencil_patch(grid: Grid) -> Grid:
    """The small patch of colours kept only where the big one-colour shape, shrunk block by block to
    the patch's size, has cells (the shape: the largest object of the commonest colour; the patch: what
    lies outside its box)."""
    counts = np.bincount(grid.ravel(), minlength=10)
    counts[0] = 0
    c = int(counts.argmax())
    if c == 0:
        raise Refused("a blank grid")
    comps = label(np.where(grid == c, grid, 0), 8, by_color=False)
    shape_box = comps.boxes[int(comps.sizes.argmax())]
    outside = grid != 0
    outside[shape_box] = False
    patch = grid[bounding_box(outside)]
    shape = grid[shape_box] == c
    (h, w), (ph, pw) = shape.shape, patch.shape
    if h % ph or w % pw or h // ph != w // pw or h == ph:
        raise Refused("the shape is not the patch blown up by a whole factor")
    k = h // ph
    blocks = shape.reshape(ph, k, pw, k)
    shrunk = blocks.all(axis=(1, 3))
    if (shrunk != blocks.any(axis=(1, 3))).any():
        raise Refused("the shape is not made of whole blocks")
    return fresh(np.where(shrunk, patch, 0))

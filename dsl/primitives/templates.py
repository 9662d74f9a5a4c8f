"""Template stamping: the one multicolour object in a grid is a template, and its placeholders are
painted with copies of it.

A placeholder is a single-colour object with exactly the template's shape (the copy covers it), or
a single cell (the copy is centred on it, so the template needs an odd height and width). Objects
are 4-connected and multicolour (`object_rules` scope `4m`), so a template touching a placeholder
only at a corner stays apart from it.
"""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import fresh
from dsl.primitives.object_rules import scope_objects
from dsl.registry import Refused, primitive
from dsl.types import Grid


def _stamp(grid: Grid, erase: bool) -> Grid:
    """Paint a copy of the template over each placeholder; `erase` clears the original first."""
    objs = scope_objects(grid, "4m")
    ncolor = objs.prop("ncolor")
    multi = np.flatnonzero(ncolor > 1)
    if multi.size != 1:
        raise Refused(f"{multi.size} multicolour objects: no single template")
    t = int(multi[0])
    masks = objs.masks()
    shape, cut = masks[t], objs.comps.cut(t, grid)
    th, tw = shape.shape
    out = fresh(grid)
    if erase:
        out[objs.comps.labels == t + 1] = 0
    placed = 0
    for i, (rows, cols) in enumerate(objs.comps.boxes):
        if i == t or ncolor[i] != 1:
            continue
        if masks[i].shape == shape.shape and np.array_equal(masks[i], shape):
            top, left = rows.start, cols.start
        elif objs.comps.sizes[i] == 1 and th % 2 and tw % 2:
            top, left = rows.start - th // 2, cols.start - tw // 2
            out[rows, cols] = 0
        else:
            continue
        _paint(out, cut, shape, top, left)
        placed += 1
    if not placed:
        raise Refused("the template has no placeholder")
    return out


def _paint(out: Grid, cut: Grid, shape: np.ndarray, top: int, left: int) -> None:
    """Paint the template's cells with its box's top-left at (top, left), clipped to the grid."""
    h, w = out.shape
    r0, c0 = max(top, 0), max(left, 0)
    r1, c1 = min(top + cut.shape[0], h), min(left + cut.shape[1], w)
    if r0 >= r1 or c0 >= c1:
        return
    part = (slice(r0 - top, r1 - top), slice(c0 - left, c1 - left))
    region = out[r0:r1, c0:c1]
    region[shape[part]] = cut[part][shape[part]]


@primitive(cost=2.0)
def stamp_template(grid: Grid) -> Grid:
    """Paint a copy of the one multicolour object over every single-colour object of its shape and
    centred on every single cell; refuses without exactly one such template or any placeholder."""
    return _stamp(grid, erase=False)


@primitive(cost=2.0)
def move_template(grid: Grid) -> Grid:
    """`stamp_template`, with the template itself cleared: it moves onto its placeholders."""
    return _stamp(grid, erase=True)

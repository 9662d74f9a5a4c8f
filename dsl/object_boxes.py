"""Object boxes: a grid cut into its objects' bounding boxes, and a function run on each box and
painted back in place. The DSL's special form `per_object(I, f(X), conn, margin)` runs this
(`dsl.interpreter`), and the search's per-object stage (`synth.search_objects_view`) cuts its
sub-task with it, so the printed program is the one searched.

Objects are the connected components of non-zero cells (4- or 8-connected, any colours joining);
each box is grown by the margin (clipped to the grid); an object inside another's box is part of that
object (the dot in a cup); boxes that still overlap are refused, so every cell belongs to at most one
box and painting back is unambiguous.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from dsl.primitives.components import label
from dsl.registry import Refused
from dsl.types import Grid

Box = tuple[slice, slice]


def object_boxes(grid: Grid, conn: int, margin: int) -> list[Box] | None:
    """The objects' boxes grown by `margin` (clipped to the grid), objects inside another's box joined
    to it; None when two boxes still overlap."""
    comps = label(grid, conn, by_color=False)
    h, w = grid.shape
    m = margin
    boxes = [
        (slice(max(r.start - m, 0), min(r.stop + m, h)), slice(max(c.start - m, 0), min(c.stop + m, w)))
        for r, c in _outermost(comps.boxes)
    ]
    cover = np.zeros(grid.shape, dtype=np.int32)
    for box in boxes:
        cover[box] += 1
    return None if (cover > 1).any() else boxes


def _outermost(boxes: Sequence[Box]) -> list[Box]:
    """The boxes not inside another box (of two equal boxes, the first)."""
    return [
        box
        for i, box in enumerate(boxes)
        if not any(
            _contains(other, box) and (other != box or j < i) for j, other in enumerate(boxes) if j != i
        )
    ]


def _contains(outer: Box, inner: Box) -> bool:
    return all(o.start <= i.start and i.stop <= o.stop for o, i in zip(outer, inner, strict=True))


def paint(grid: Grid, boxes: Sequence[Box], crops: Sequence[Grid]) -> Grid | None:
    """`grid` with each box replaced by its crop; None when a crop does not fit its box."""
    out = grid.copy()
    for box, crop in zip(boxes, crops, strict=True):
        if not isinstance(crop, np.ndarray) or out[box].shape != crop.shape:
            return None
        out[box] = crop
    return out


def per_object(grid: Grid, f: Callable[[Grid], Grid], conn: int, margin: int) -> Grid:
    """`grid` with `f` run on each object's box (cut by `object_boxes`) and painted back in place;
    refused when boxes overlap or `f` changes a box's shape."""
    if margin < 0:
        raise Refused(f"margin must be 0 or more, got {margin}")
    boxes = object_boxes(grid, conn, margin)
    if boxes is None:
        raise Refused(f"object boxes overlap ({conn}-connected, margin {margin})")
    out = paint(grid, boxes, [f(np.ascontiguousarray(grid[box])) for box in boxes])
    if out is None:
        raise Refused("f does not return a grid of its box's shape")
    return out

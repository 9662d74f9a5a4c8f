"""Reflections called by markers: a shape with cells of other colours on its edge is mirrored to the
side (or corner) where each marker lies, the copy painted in that marker's colour."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import fresh
from dsl.primitives.components import label
from dsl.registry import Refused, primitive
from dsl.types import Grid


def _flip(index: np.ndarray, marks: np.ndarray, lo: int, hi: int) -> np.ndarray | None:
    """`index` mirrored across the near edge of [lo, hi] on the side where all `marks` lie; unchanged
    when the marks lie within it, None when they straddle an edge."""
    if (marks < lo).all():
        return 2 * lo - 1 - index
    if (marks > hi).all():
        return 2 * hi + 1 - index
    if ((marks >= lo) & (marks <= hi)).all():
        return index
    return None


@primitive(cost=2.0)
def reflect_to_markers(grid: Grid) -> Grid:
    """Mirror the body (its commonest colour) of every multicolour object across the side or corner of
    its box where each other colour of the object lies, the copy painted in that colour."""
    objects = label(grid, 8, False)
    out = grid.copy()
    h, w = grid.shape
    moved = False
    for i, box in enumerate(objects.boxes):
        part = np.where(objects.labels[box] == i + 1, grid[box], 0)
        counts = np.bincount(part.ravel(), minlength=10)
        counts[0] = 0
        if np.count_nonzero(counts) < 2:
            continue
        body = int(np.argmax(counts))
        rr, cc = np.nonzero(part == body)
        r0, r1, c0, c1 = rr.min(), rr.max(), cc.min(), cc.max()
        for m in np.flatnonzero(counts):
            if m == body:
                continue
            mr, mc = np.nonzero(part == m)
            nr, nc = _flip(rr, mr, r0, r1), _flip(cc, mc, c0, c1)
            if nr is None or nc is None or (nr is rr and nc is cc):
                raise Refused("a marker lies across or inside its shape's box")
            nr, nc = nr + box[0].start, nc + box[1].start
            if nr.min() < 0 or nc.min() < 0 or nr.max() >= h or nc.max() >= w:
                raise Refused("a mirror image leaves the grid")
            out[nr, nc] = m
            moved = True
    if not moved:
        raise Refused("no multicolour object")
    return fresh(out)

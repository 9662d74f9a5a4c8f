"""Mirrors: straight lines of other colours act as mirrors, and the objects of one colour are moved to
their mirror images across the nearest line they face (shapes flipped into or out of brackets)."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import fresh, require_color
from dsl.primitives.components import label
from dsl.registry import Refused, primitive
from dsl.types import Color, Grid

MIN_LINE = 3  # cells in a straight run for it to count as a mirror


def _runs(grid: Grid, c: int) -> list[tuple[int, int, int]]:
    """(row, first column, last column) of every horizontal run of at least MIN_LINE cells of one
    colour that is neither background nor c."""
    wall = (grid != 0) & (grid != c)
    same = wall[:, 1:] & wall[:, :-1] & (grid[:, 1:] == grid[:, :-1])
    runs = []
    for r in np.flatnonzero(same.sum(axis=1) >= MIN_LINE - 1):
        # a run of n cells is n - 1 consecutive true links; find each stretch of links
        links = np.concatenate(([0], same[r].astype(np.int8), [0]))
        edges = np.flatnonzero(np.diff(links))
        for start, stop in zip(edges[::2], edges[1::2], strict=True):
            if stop - start >= MIN_LINE - 1:
                runs.append((int(r), int(start), int(stop)))
    return runs


def _nearest_mirror(
    box: tuple[slice, slice], rows: list[tuple[int, int, int]], cols: list[tuple[int, int, int]]
) -> tuple[int, int] | None:
    """(axis, position) of the nearest line the box faces: a row line (axis 0) spanning some of its
    columns, or a column line (axis 1) spanning some of its rows, not crossing it; None if none.
    Refuses two different mirrors at the same distance."""
    best: list[tuple[int, int, int]] = []  # (distance, axis, position)
    for axis, lines in ((0, rows), (1, cols)):
        near, across = box[axis], box[1 - axis]
        for pos, lo, hi in lines:
            if hi < across.start or lo >= across.stop:
                continue
            if pos < near.start:
                best.append((near.start - pos, axis, pos))
            elif pos >= near.stop:
                best.append((pos - near.stop + 1, axis, pos))
    if not best:
        return None
    best.sort()
    if len(best) > 1 and best[1][0] == best[0][0] and best[1][1:] != best[0][1:]:
        raise Refused("two mirrors at the same distance")
    return best[0][1], best[0][2]


@primitive(cost=2.0)
def mirror_across_lines(grid: Grid, c: Color) -> Grid:
    """Move every object of colour c (8-connected) to its mirror image across the nearest straight
    line (a run of 3+ cells of another colour) it faces; objects facing none stay."""
    require_color(c)
    if c == 0 or not (grid == c).any():
        raise Refused(f"no cells of colour {c}")
    rows = _runs(grid, c)
    cols = _runs(grid.T, c)
    if not rows and not cols:
        raise Refused("no straight lines")
    objects = label(np.where(grid == c, grid, 0), 8, False)
    out = grid.copy()
    targets = []
    for i, box in enumerate(objects.boxes):
        mirror = _nearest_mirror(box, rows, cols)
        if mirror is None:
            continue
        axis, pos = mirror
        rr, cc = np.nonzero(objects.mask(i))
        if axis == 0:
            rr = 2 * pos - rr
        else:
            cc = 2 * pos - cc
        if rr.min() < 0 or cc.min() < 0 or rr.max() >= grid.shape[0] or cc.max() >= grid.shape[1]:
            raise Refused("a mirror image leaves the grid")
        out[objects.mask(i)] = 0
        targets.append((rr, cc))
    if not targets:
        raise Refused(f"no object of colour {c} faces a line")
    for rr, cc in targets:
        if (out[rr, cc] != 0).any():
            raise Refused("a mirror image lands on another cell")
        out[rr, cc] = c
    return fresh(out)

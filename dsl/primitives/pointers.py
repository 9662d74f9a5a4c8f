"""Pointers: an object marked with one cell of its own colour points the way from that cell through
its body, and the mark shoots a ray that way beyond the object."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import fresh
from dsl.primitives.components import label
from dsl.registry import Refused, primitive
from dsl.types import Grid

MAX_OBJECTS = 30


def _heading(cells: np.ndarray, mark: np.ndarray) -> tuple[int, int]:
    """The step (one of 8) from the mark towards the object's centre of mass; (0, 0) if it is the centre.
    An axis counts when the centre lies at least half as far along it as along the other."""
    d = cells.mean(axis=0) - mark
    far = np.abs(d).max()
    if far < 0.25:
        return 0, 0
    step = np.where(np.abs(d) >= far / 2, np.sign(d), 0).astype(int)
    return int(step[0]), int(step[1])


@primitive(cost=2.0)
def shoot_from_marks(grid: Grid) -> Grid:
    """Every multicolour object with a single cell of a colour of its own shoots a ray from that cell
    through its body, towards its centre, and on over background to the first other cell or the edge."""
    comps = label(grid, 8, by_color=False)
    if comps.count == 0 or comps.count > MAX_OBJECTS:
        raise Refused("no objects to point with")
    h, w = grid.shape
    out = grid.copy()
    shot = False
    for i in range(comps.count):
        mask = comps.mask(i)
        colours, counts = np.unique(grid[mask], return_counts=True)
        if colours.size < 2 or (counts == 1).sum() != 1 or counts.max() == 1:
            continue
        mark_colour = colours[counts == 1][0]
        cells = np.argwhere(mask)
        mark = np.argwhere(mask & (grid == mark_colour))[0]
        dy, dx = _heading(cells, mark)
        if (dy, dx) == (0, 0):
            continue
        r, c = mark[0] + dy, mark[1] + dx
        while 0 <= r < h and 0 <= c < w and mask[r, c]:  # through the body
            r, c = r + dy, c + dx
        while 0 <= r < h and 0 <= c < w and grid[r, c] == 0:  # and on over background
            out[r, c] = mark_colour
            shot = True
            r, c = r + dy, c + dx
    if not shot:
        raise Refused("no marked object with room to shoot")
    return fresh(out)

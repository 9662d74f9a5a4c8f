"""Moving objects until they touch an anchor: the cells of one colour stay put, every other object
slides towards them (along the axis on which their boxes overlap, else diagonally) and stops on
contact, or draws its trail up to it."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import fresh, require_color
from dsl.primitives.components import label
from dsl.registry import Refused, primitive
from dsl.types import Color, Grid


def _direction(obj: np.ndarray, anchor: np.ndarray) -> tuple[int, int]:
    """The unit step from the object's box towards the anchor's box: along one axis when their spans
    overlap on the other, else diagonal; (0, 0) when the boxes overlap."""
    steps = []
    for axis in (1, 0):
        span_o = np.flatnonzero(obj.any(axis=axis))
        span_a = np.flatnonzero(anchor.any(axis=axis))
        steps.append(1 if span_o[-1] < span_a[0] else -1 if span_o[0] > span_a[-1] else 0)
    return steps[0], steps[1]


def _shifted(mask: np.ndarray, dy: int, dx: int) -> np.ndarray:
    h, w = mask.shape
    out = np.zeros_like(mask)
    if abs(dy) >= h or abs(dx) >= w:
        return out
    out[max(dy, 0) : h + min(dy, 0), max(dx, 0) : w + min(dx, 0)] = mask[
        max(-dy, 0) : h - max(dy, 0), max(-dx, 0) : w - max(dx, 0)
    ]
    return out


def _slide(grid: Grid, c: int, aimed_only: bool, trail: bool) -> Grid:
    require_color(c)
    anchor = grid == c
    if c == 0 or not anchor.any():
        raise Refused(f"no anchor of colour {c}")
    movers = np.where(anchor, 0, grid)
    comps = label(movers, 8, by_color=False)
    if comps.count == 0:
        raise Refused("nothing to move")
    out = grid.copy() if trail else np.where(anchor, grid, 0)
    h, w = grid.shape
    moved_any = False
    for i in range(comps.count):
        obj = comps.mask(i)
        dy, dx = _direction(obj, anchor)
        if (dy, dx) == (0, 0) or (aimed_only and dy and dx):
            if not trail:
                raise Refused("an object overlaps the anchor's box")
            continue
        colours = np.where(obj, grid, 0)
        steps = 0
        while not (_shifted(obj, dy * (steps + 1), dx * (steps + 1)) & anchor).any():
            steps += 1
            if steps >= max(h, w):
                raise Refused("an object slides past the anchor")
        for k in range(0 if trail else steps, steps + 1):
            moved = _shifted(obj, dy * k, dx * k)
            if not trail and (out[moved] != 0).any():
                raise Refused("moved objects collide")
            out[moved] = _shifted(colours, dy * k, dx * k)[moved]
        moved_any = moved_any or steps > 0
    if not moved_any:
        raise Refused("nothing moves")
    return fresh(out)


@primitive(cost=2.0)
def move_to_contact(grid: Grid, c: Color) -> Grid:
    """Slide every object not of colour c straight or diagonally towards the colour-c cells until it
    touches them."""
    return _slide(grid, c, aimed_only=False, trail=False)


@primitive(cost=2.0)
def extend_to_contact(grid: Grid, c: Color) -> Grid:
    """Every object in line with the colour-c cells draws its trail towards them up to contact."""
    return _slide(grid, c, aimed_only=True, trail=True)

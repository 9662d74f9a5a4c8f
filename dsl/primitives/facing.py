"""Projection onto a block: a cell that faces a block of one colour across background marks the first
block cell its row or column reaches."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import FAR, LINE_VIEWS, fresh, nearest_of, nearest_on_left, pad, require_cells
from dsl.registry import Refused, primitive
from dsl.types import Color, Grid


def _facing(grid: Grid, c: int) -> tuple[np.ndarray, np.ndarray]:
    """For every cell, the colour of and distance to the nearest cell not of colour c that it faces: the
    first non-zero cell strictly beside it in its row or column, across background only, in the
    directions where that cell is not of colour c (ties: left, right, up, down); FAR where none."""
    colours, dists = [], []
    for turn, back in LINE_VIEWS:
        colour, dist = nearest_on_left(turn(grid))
        # strictly left of a cell: what is at or left of its left neighbour
        colour = pad(colour[:, :-1], ((0, 0), (1, 0)))
        dist = np.where(dist[:, :-1] < 0, FAR, dist[:, :-1] + 1)
        dist = pad(dist, ((0, 0), (1, 0)), FAR)
        colours.append(back(colour))
        dists.append(back(np.where(colour == c, FAR, dist)))
    return nearest_of(colours, dists)


@primitive(cost=2.0)
def recolor_facing(grid: Grid, c: Color) -> Grid:
    """Repaint each colour-c cell that faces a cell of another colour across background in its row or
    column with that colour: loose pixels mark the edge cells of a block they point at."""
    target = require_cells(grid, c)
    colour, dist = _facing(grid, c)
    hit = target & (dist < FAR)
    if not hit.any():
        raise Refused(f"nothing faces colour {c}")
    return fresh(np.where(hit, colour, grid))

"""A flood that alternates two colours cell by cell, carrying on a chequered seed through the
background regions it touches (a maze filled from a seed, say)."""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from dsl.primitives.common import dilate4, fresh
from dsl.registry import Refused, primitive
from dsl.types import Grid


def _seed_pair(grid: Grid, parity: np.ndarray) -> tuple[int, int]:
    """The two colours that lie side by side, each wholly on its own squares of a chequerboard
    (a wall or a shape covers both); refuses unless exactly one such pair."""
    on_one = {}
    for c in (np.flatnonzero(np.bincount(grid.ravel(), minlength=10)[1:]) + 1).tolist():
        squares = np.unique(parity[grid == c])
        if squares.size == 1:
            on_one[c] = int(squares[0])
    pairs = set()
    for c in on_one:
        beside = dilate4(grid == c) & (grid != c)
        for d in np.unique(grid[beside]).tolist():
            if d in on_one and on_one[d] != on_one[c]:
                pairs.add((min(c, d), max(c, d)))
    if len(pairs) != 1:
        raise Refused(f"{len(pairs)} chequered seed pairs, not one")
    return pairs.pop()


@primitive(cost=2.0)
def flood_alternating(grid: Grid) -> Grid:
    """Flood the background regions (4-connected) touching a chequered seed of two colours with the
    two colours alternating cell by cell, as the seed has them."""
    parity = np.indices(grid.shape).sum(axis=0) % 2
    a, b = _seed_pair(grid, parity)
    seed = (grid == a) | (grid == b)
    labels, _ = ndimage.label(grid == 0)
    touching = dilate4(seed) & (labels != 0)
    if not touching.any():
        raise Refused("the seed touches no background")
    a_squares = parity[grid == a][0]
    fill = np.where(parity == a_squares, a, b)
    return fresh(np.where(np.isin(labels, labels[touching]), fill, grid))

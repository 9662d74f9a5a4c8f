"""Primitives that wrap a whole program: colour names by role.

`rank_colors` renames a grid's colours by how common they are in it, so tasks whose pairs use
different colours for the same role (the background, the commonest shape...) look alike;
`unrank_colors(result, I)` names a result's colours back in the frame of `I`. A program written for
the ranked task `P` becomes `unrank_colors(P(rank_colors(I)), I)` on the original one.
"""

from __future__ import annotations

import numpy as np

from dsl.grid import N_COLORS
from dsl.primitives.common import fresh
from dsl.registry import primitive
from dsl.types import Grid


def rank_permutation(grid: Grid) -> np.ndarray:
    """Colour c becomes perm[c]: present colours by count (descending, then by colour) take 0, 1, ...;
    an absent colour keeps its value when that value is not taken, so a colour that only outputs use
    keeps its name as often as it can; the other absent colours fill the values left, in order."""
    counts = np.bincount(grid.ravel(), minlength=N_COLORS)
    present = np.flatnonzero(counts)
    order = present[np.lexsort((present, -counts[present]))]
    k = len(order)
    perm = np.empty(N_COLORS, dtype=np.uint8)
    perm[order] = np.arange(k)
    absent = np.flatnonzero(counts == 0)
    stay = absent[absent >= k]
    perm[stay] = stay
    perm[absent[absent < k]] = np.setdiff1d(np.arange(k, N_COLORS), stay)
    return perm


@primitive(cost=1.0)
def rank_colors(g: Grid) -> Grid:
    """Colours renamed by frequency in the grid: the commonest becomes 0, the next 1, and so on."""
    return fresh(rank_permutation(g)[g])


@primitive(cost=1.0)
def unrank_colors(g: Grid, ref: Grid) -> Grid:
    """Undo `rank_colors(ref)` on a grid computed in the ranked frame: colour names back as in ref."""
    inverse = np.argsort(rank_permutation(ref)).astype(np.uint8)
    return fresh(inverse[g])

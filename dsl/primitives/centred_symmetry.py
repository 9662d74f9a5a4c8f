"""Symmetry about a centre found in the picture: the pattern is symmetric about a point anywhere in the
grid (an object's centre, say), not about the grid's middle. Each cell votes for the centres about
which all its images are already there; of the best-voted centres whose completion clashes with no
cell and stays inside the grid, the one about which the most whole objects are already symmetric wins.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from dsl.primitives.common import fresh
from dsl.primitives.components import label
from dsl.registry import Refused, primitive
from dsl.types import Grid

Points = tuple[np.ndarray, np.ndarray]  # doubled (row, column) coordinates
Symmetry = Callable[[np.ndarray, np.ndarray, Any, Any], list[Points]]  # cells, centre -> images

MAX_CELLS = 120  # more non-zero cells than this is a picture, not a shape to complete
CANDIDATES = 8  # best-voted centres tried before giving up


def _cells(grid: Grid) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, cols, colours) of the non-zero cells."""
    rows, cols = np.nonzero(grid)
    if rows.size < 2 or rows.size > MAX_CELLS:
        raise Refused("no shape of a size to complete")
    return rows.astype(np.int64), cols.astype(np.int64), grid[rows, cols]


def _present(grid: Grid, r2: np.ndarray, c2: np.ndarray, colours: np.ndarray) -> np.ndarray:
    """Whether the cells at doubled coordinates (r2, c2) lie in the grid and hold `colours`."""
    h, w = grid.shape
    r, c = r2 // 2, c2 // 2
    inside = (r2 % 2 == 0) & (c2 % 2 == 0) & (r >= 0) & (r < h) & (c >= 0) & (c < w)
    found = np.zeros(r.shape, dtype=bool)
    found[inside] = grid[r[inside], c[inside]] == colours[inside]
    return found


def _complete(grid: Grid, images: list[Points], colours: np.ndarray) -> Grid | None:
    """The grid with every non-zero cell copied to its images (doubled coordinates); None if an image
    leaves the grid or lands on a cell of another colour, or nothing changes."""
    h, w = grid.shape
    out = grid.copy()
    for r2, c2 in images:
        r, c = r2 // 2, c2 // 2
        off_lattice = (r2 % 2).any() or (c2 % 2).any()
        if off_lattice or (r < 0).any() or (r >= h).any() or (c < 0).any() or (c >= w).any():
            return None
        there = out[r, c]
        if ((there != 0) & (there != colours)).any():
            return None
        out[r, c] = colours
    if np.array_equal(out, grid):
        return None
    return out


def _symmetrize(grid: Grid, maps: Symmetry, centres: Points) -> Grid:
    """Complete the symmetry `maps` (doubled cell coordinates and centre -> images) about the centre
    where the most cells already have all their images (counting each cell by the images that are not
    itself: a cell on an axis proves less), trying the best few centres in turn."""
    rows, cols, colours = _cells(grid)
    h, w = grid.shape
    a2, b2 = centres
    i = np.arange(rows.size)[:, None].repeat(rows.size, axis=1)
    r2, c2 = 2 * rows[i], 2 * cols[i]
    whole = np.ones(i.shape, dtype=bool)
    moved = np.zeros(i.shape, dtype=np.int64)  # images other than the cell itself
    for mr, mc in maps(r2, c2, a2, b2):
        whole &= _present(grid, mr, mc, colours[i])
        moved += (mr != r2) | (mc != c2)
    ok = whole & (a2 >= 0) & (a2 <= 2 * h - 2) & (b2 >= 0) & (b2 <= 2 * w - 2)
    votes = np.zeros((2 * h - 1, 2 * w - 1), dtype=np.int64)
    np.add.at(votes, (a2[ok], b2[ok]), moved[ok])
    order = np.argsort(-votes, axis=None, kind="stable")[:CANDIDATES]
    objects = label(grid, 8, by_color=True).labels[rows, cols]
    r2, c2 = 2 * rows, 2 * cols
    best, best_score = None, None
    for flat in order:
        if votes.flat[flat] == 0:
            break
        a, b = (int(v) for v in np.unravel_index(flat, votes.shape))
        images = maps(r2, c2, a, b)
        out = _complete(grid, images, colours)
        if out is None:
            continue
        # whole objects already symmetric about the centre outweigh scattered symmetric cells
        whole = np.logical_and.reduce([_present(grid, mr, mc, colours) for mr, mc in images])
        broken = np.unique(objects[~whole])
        moved = sum(((mr != r2) | (mc != c2)).astype(np.int64) for mr, mc in images)
        score = (int(moved[~np.isin(objects, broken)].sum()), int(votes.flat[flat]))
        if best_score is None or score > best_score:
            best, best_score = out, score
    if best is None:
        raise Refused("no centre of symmetry fits")
    return fresh(best)


def _quarter_turns(r2: np.ndarray, c2: np.ndarray, a: Any, b: Any) -> list[Points]:
    dr, dc = r2 - a, c2 - b
    return [(a + dc, b - dr), (a - dr, b - dc), (a - dc, b + dr)]


def _mirrors(r2: np.ndarray, c2: np.ndarray, a: Any, b: Any) -> list[Points]:
    return [(r2, 2 * b - c2), (2 * a - r2, c2), (2 * a - r2, 2 * b - c2)]


@primitive(cost=2.0)
def complete_rotation_symmetry(grid: Grid) -> Grid:
    """Complete a quarter-turn symmetry about the centre the cells agree on best: every non-zero cell is
    copied to its three turned places."""
    rows, cols, _ = _cells(grid)
    ri, ci, rj, cj = rows[:, None], cols[:, None], rows[None, :], cols[None, :]
    # the centre (a, b) of the quarter turn taking cell i to cell j, in doubled coordinates
    return _symmetrize(grid, _quarter_turns, (rj - ci + cj + ri, cj + ri - rj + ci))


@primitive(cost=2.0)
def complete_mirror_symmetry(grid: Grid) -> Grid:
    """Complete a left-right and top-bottom mirror symmetry about the centre the cells agree on best:
    every non-zero cell is copied to its three mirrored places."""
    rows, cols, _ = _cells(grid)
    # the centre of the half turn taking cell i to cell j, in doubled coordinates
    return _symmetrize(grid, _mirrors, (rows[:, None] + rows[None, :], cols[:, None] + cols[None, :]))

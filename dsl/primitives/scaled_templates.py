"""Scaled stamping: a multicolour template has a marker colour that recurs elsewhere as k x k blocks;
each such block (or group of blocks) is the template's marker blown up k times, and the rest of the
template is drawn around it at that scale, taking the colour of any part already there."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import fresh
from dsl.primitives.components import label
from dsl.registry import Refused, primitive
from dsl.types import Grid

MAX_SCALE = 5
MAX_TARGETS = 100  # marker cells outside the template: more is a picture, not placeholders


def _placement(
    grid: Grid, objects: np.ndarray, scaled: Grid, marker: int, top: int, left: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int] | None:
    """(rows, cols, template colours, marker, colour X or 0) of the scaled template's cells inside the grid
    with its box's top-left at (top, left); None unless its marker cells land on marker cells, its
    other cells on background or on one other colour X, and every object it touches lies wholly
    under it. `objects` labels the grid's objects, the template's own as -1."""
    h, w = grid.shape
    rows, cols = np.nonzero(scaled)
    colours = scaled[rows, cols]
    rows, cols = rows + top, cols + left
    inside = (rows >= 0) & (rows < h) & (cols >= 0) & (cols < w)
    is_marker = colours == marker
    if not inside[is_marker].all():
        return None
    rows, cols, colours, is_marker = rows[inside], cols[inside], colours[inside], is_marker[inside]
    under = grid[rows, cols]
    if (objects[rows, cols] < 0).any() or (under[is_marker] != marker).any():
        return None
    others = under[~is_marker]
    found = np.unique(others[others != 0])
    if found.size > 1 or marker in found:
        return None
    touched = np.unique(objects[rows, cols][under != 0])
    covered = np.zeros(grid.shape, dtype=bool)
    covered[rows, cols] = True
    if not covered[np.isin(objects, touched)].all():
        return None
    return rows, cols, colours, marker, int(found[0]) if found.size else 0


def _stamps(
    grid: Grid, objects: np.ndarray, cut: Grid
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, int, int]]:
    """Every placement of the template `cut` scaled 1 to MAX_SCALE times over cells of its marker."""
    present = np.bincount(grid[objects > 0], minlength=10)
    markers = [m for m in np.unique(cut[cut != 0]) if present[m]]
    if len(markers) != 1:
        return []
    marker = int(markers[0])
    targets = np.argwhere((grid == marker) & (objects > 0))
    if len(targets) > MAX_TARGETS:
        return []
    h, w = grid.shape
    found = []
    for k in range(1, MAX_SCALE + 1):
        scaled = np.kron(cut, np.ones((k, k), dtype=cut.dtype))
        if max(scaled.shape) > 2 * max(h, w):
            break
        mr, mc = np.nonzero(scaled == marker)  # the marker cells, from the first in reading order
        # keep the targets where every marker cell of the copy lands on a marker cell (all at once)
        rows, cols = targets[:, :1] + (mr - mr[0]), targets[:, 1:] + (mc - mc[0])
        inside = (rows >= 0) & (rows < h) & (cols >= 0) & (cols < w)
        rows, cols = np.where(inside, rows, 0), np.where(inside, cols, 0)
        lands = inside & (grid[rows, cols] == marker) & (objects[rows, cols] > 0)
        for r, c in targets[lands.all(axis=1)]:
            placed = _placement(grid, objects, scaled, marker, r - mr[0], c - mc[0])
            if placed is not None:
                found.append(placed)
    return found


@primitive(cost=2.0)
def stamp_scaled_template(grid: Grid) -> Grid:
    """Draw the multicolour template, scaled k times, over every k x k blow-up of its marker (its one
    colour found elsewhere too), the rest of the copy in the colour of any part already there."""
    comps = label(grid, 8, by_color=False)
    best: list[tuple[np.ndarray, np.ndarray, np.ndarray, int, int]] = []
    for i in range(comps.count):
        cut = comps.cut(i, grid)
        if np.unique(cut[cut != 0]).size < 2:
            continue
        objects = np.where(comps.labels == i + 1, -1, comps.labels)
        stamps = _stamps(grid, objects, cut)
        if len(stamps) > len(best):
            best = stamps
    if not best:
        raise Refused("no template with scaled copies of its marker")
    out = grid.copy()
    for rows, cols, colours, marker, other in best:
        out[rows, cols] = np.where((colours == marker) | (other == 0), colours, other)
    return fresh(out)

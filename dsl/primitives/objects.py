"""Objects: connected components of non-zero cells, and selecting, keeping or removing them.

"Object" means a component of non-zero cells joined through any non-zero neighbours (multicolour);
"monochrome object" one joined only through neighbours of its own colour. `conn` is 4 or 8.
Selections that would be ambiguous (a tie for largest, no unique pattern) refuse.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from dsl.grid import grid_key
from dsl.primitives.common import fresh, per_grid, require_color
from dsl.primitives.components import Labelling, label, pick_extreme
from dsl.primitives.regions import enclosed_mask
from dsl.registry import Refused, primitive
from dsl.types import Color, Conn, Grid


def _select(grid: Grid, conn: int, by_color: bool, largest: bool) -> tuple[Labelling, int]:
    comps = label(grid, conn, by_color)
    return comps, pick_extreme(comps, largest)


@primitive(cost=1.5)
def largest_object(grid: Grid, conn: Conn) -> Grid:
    """The object with the most cells, cropped to its box (other objects' cells cleared)."""
    comps, i = _select(grid, conn, by_color=False, largest=True)
    return comps.cut(i, grid)


@primitive(cost=1.5)
def smallest_object(grid: Grid, conn: Conn) -> Grid:
    """The object with the fewest cells, cropped to its box (other objects' cells cleared)."""
    comps, i = _select(grid, conn, by_color=False, largest=False)
    return comps.cut(i, grid)


@primitive(cost=2.0)
def largest_monochrome_object(grid: Grid, conn: Conn) -> Grid:
    """The single-colour object with the most cells, cropped to its box."""
    comps, i = _select(grid, conn, by_color=True, largest=True)
    return comps.cut(i, grid)


@primitive(cost=2.0)
def smallest_monochrome_object(grid: Grid, conn: Conn) -> Grid:
    """The single-colour object with the fewest cells, cropped to its box."""
    comps, i = _select(grid, conn, by_color=True, largest=False)
    return comps.cut(i, grid)


@primitive(cost=1.5)
def keep_largest_object(grid: Grid, conn: Conn) -> Grid:
    """Keep the object with the most cells in place, clear everything else."""
    comps, i = _select(grid, conn, by_color=False, largest=True)
    return fresh(np.where(comps.mask(i), grid, 0))


@primitive(cost=1.5)
def remove_largest_object(grid: Grid, conn: Conn) -> Grid:
    """Clear the object with the most cells, keep everything else."""
    comps, i = _select(grid, conn, by_color=False, largest=True)
    return fresh(np.where(comps.mask(i), 0, grid))


@primitive(cost=1.5)
def keep_smallest_object(grid: Grid, conn: Conn) -> Grid:
    """Keep the object with the fewest cells in place, clear everything else."""
    comps, i = _select(grid, conn, by_color=False, largest=False)
    return fresh(np.where(comps.mask(i), grid, 0))


@primitive(cost=1.5)
def remove_smallest_object(grid: Grid, conn: Conn) -> Grid:
    """Clear the object with the fewest cells, keep everything else."""
    comps, i = _select(grid, conn, by_color=False, largest=False)
    return fresh(np.where(comps.mask(i), 0, grid))


@primitive(cost=2.0)
def recolor_largest_object(grid: Grid, c: Color) -> Grid:
    """Paint the largest 8-connected object with colour c."""
    require_color(c)
    comps, i = _select(grid, 8, by_color=False, largest=True)
    return fresh(np.where(comps.mask(i), c, grid))


@primitive(cost=2.0)
def recolor_smallest_object(grid: Grid, c: Color) -> Grid:
    """Paint the smallest 8-connected object with colour c."""
    require_color(c)
    comps, i = _select(grid, 8, by_color=False, largest=False)
    return fresh(np.where(comps.mask(i), c, grid))


@primitive(cost=2.0)
def object_of_color(grid: Grid, c: Color) -> Grid:
    """The 8-connected object containing colour c, cropped (refuses unless exactly one contains it)."""
    comps = label(grid, 8, by_color=False)
    holders = np.unique(comps.labels[grid == c]) if c != 0 else np.array([], dtype=np.int32)
    if holders.size != 1:
        raise Refused(f"{holders.size} objects contain colour {c}")
    return comps.cut(int(holders[0]) - 1, grid)


@primitive(cost=2.0)
def unique_color_object(grid: Grid) -> Grid:
    """The 8-connected object holding a colour no other object has, cropped (refuses unless one)."""
    comps = label(grid, 8, by_color=False)
    cells = comps.labels != 0
    pairs = np.unique(comps.labels[cells].astype(np.int64) * 10 + grid[cells])  # (object, colour) once each
    objects, colors = pairs // 10, pairs % 10
    holders = np.unique(objects[np.bincount(colors, minlength=10)[colors] == 1])
    if holders.size != 1:
        raise Refused(f"{holders.size} objects have a colour of their own")
    return comps.cut(int(holders[0]) - 1, grid)


@primitive(cost=2.0)
def object_with_most(grid: Grid, c: Color) -> Grid:
    """The 4-connected object with the most cells of colour c, cropped (refuses ties)."""
    if c == 0:
        raise Refused("objects hold no background cells")
    comps = label(grid, 4, by_color=False)  # 4, not 8: blocks touching at a corner stay apart
    counts = np.bincount(comps.labels[grid == c], minlength=comps.count + 1)[1:]
    if counts.size == 0 or counts.max() == 0:
        raise Refused(f"no object holds colour {c}")
    winners = np.flatnonzero(counts == counts.max())
    if winners.size > 1:
        raise Refused(f"{winners.size} objects tie for the most cells of colour {c}")
    return comps.cut(int(winners[0]), grid)


def _by_frequency(grid: Grid, most: bool) -> Grid:
    comps = label(grid, 8, by_color=False)
    if comps.count == 0:
        raise Refused("no object found")
    crops = [comps.cut(i, grid) for i in range(comps.count)]
    keys = [grid_key(c) for c in crops]
    counts = Counter(keys)
    best = max(counts.values()) if most else min(counts.values())
    winners = [k for k, n in counts.items() if n == best]
    if len(winners) != 1:
        raise Refused(f"{len(winners)} patterns tie")
    return crops[keys.index(winners[0])]


@primitive(cost=2.0)
def most_common_object(grid: Grid) -> Grid:
    """The 8-connected object whose exact pattern occurs most often, cropped (refuses ties)."""
    return _by_frequency(grid, most=True)


@primitive(cost=2.0)
def least_common_object(grid: Grid) -> Grid:
    """The 8-connected object whose exact pattern occurs least often, cropped (refuses ties)."""
    return _by_frequency(grid, most=False)


@primitive(cost=2.0)
def unique_shape_object(grid: Grid) -> Grid:
    """The single-colour 8-connected object whose shape (colours aside) no other object has, cropped
    (refuses unless at least three objects and exactly one such)."""
    comps = label(grid, 8, by_color=True)
    if comps.count < 3:
        raise Refused("too few objects to tell an odd shape")
    shapes = [
        (box[0].stop - box[0].start, (comps.labels[box] == i + 1).tobytes())
        for i, box in enumerate(comps.boxes)
    ]
    counts = Counter(shapes)
    unique = [i for i, s in enumerate(shapes) if counts[s] == 1]
    if len(unique) != 1:
        raise Refused(f"{len(unique)} objects have a shape of their own")
    return comps.cut(unique[0], grid)


@primitive(cost=1.5)
def remove_border_objects(grid: Grid) -> Grid:
    """Clear every 8-connected object that touches the edge of the grid."""
    labels = label(grid, 8, by_color=False).labels
    edge = np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]])
    return fresh(np.where(np.isin(labels, edge[edge != 0]), 0, grid))


@primitive(cost=2.0)
def recolor_holed_objects(grid: Grid, c: Color) -> Grid:
    """Paint with colour c every 8-connected object touching enclosed background: one with a hole
    (or one lying inside another's hole)."""
    require_color(c)
    holed = _holed_mask(grid)
    if not holed.any():
        raise Refused("no object has a hole")
    return fresh(np.where(holed, c, grid))


@per_grid
def _holed_mask(grid: Grid) -> np.ndarray:
    """Cells of the 8-connected objects touching (4 neighbours) an enclosed background cell."""
    comps = label(grid, 8, by_color=False)
    holes = enclosed_mask(grid)
    if not holes.any():
        return np.zeros(grid.shape, dtype=bool)
    padded = np.pad(comps.labels, 1)
    h, w = grid.shape
    steps = ((-1, 0), (1, 0), (0, -1), (0, 1))
    around = [padded[1 + dr : 1 + dr + h, 1 + dc : 1 + dc + w][holes] for dr, dc in steps]
    owners = np.unique(np.concatenate(around))
    return np.isin(comps.labels, owners[owners != 0])


@primitive(cost=1.5)
def denoise(grid: Grid) -> Grid:
    """Clear the isolated cells: objects of a single cell (8-connectivity)."""
    comps = label(grid, 8, by_color=False)
    size_of_cell = np.concatenate([[0], comps.sizes])[comps.labels]
    return fresh(np.where(size_of_cell == 1, 0, grid))


@primitive(cost=1.5)
def hollow_objects(grid: Grid) -> Grid:
    """Clear the interior of objects: non-zero cells whose four neighbours are all non-zero."""
    filled = np.pad(grid != 0, 1)
    inner = filled[1:-1, 1:-1] & filled[:-2, 1:-1] & filled[2:, 1:-1] & filled[1:-1, :-2] & filled[1:-1, 2:]
    return fresh(np.where(inner, 0, grid))

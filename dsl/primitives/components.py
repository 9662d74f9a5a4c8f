"""Connected components of non-background cells, shared by the object primitives.

Labelling uses scipy.ndimage (C speed) and stays vectorised: a `Labelling` holds the label image,
each component's size and bounding box, and builds a component's mask or crop only when asked.
Results are cached per (grid bytes, connectivity, mode), since the search asks for the components of
the same grid many times (largest, smallest, keep, remove...); cached arrays are read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import ndimage

from dsl.registry import Refused
from dsl.types import Grid

_STRUCTURE = {
    4: ndimage.generate_binary_structure(2, 1),
    8: ndimage.generate_binary_structure(2, 2),
}


@dataclass(frozen=True)
class Labelling:
    """Components numbered 1..count in `labels` (0 = background); index i below means label i + 1."""

    labels: np.ndarray  # int32, the grid's shape, read-only
    sizes: np.ndarray  # cells per component, read-only
    boxes: tuple[tuple[slice, slice], ...]

    @property
    def count(self) -> int:
        return len(self.boxes)

    def mask(self, i: int) -> np.ndarray:
        """Component i's cells as a mask of the whole grid."""
        return self.labels == i + 1

    def cut(self, i: int, grid: Grid) -> Grid:
        """Component i cropped from `grid` to its box, other cells in the box set to 0."""
        box = self.boxes[i]
        return np.ascontiguousarray(np.where(self.labels[box] == i + 1, grid[box], 0), dtype=np.uint8)


def require_conn(conn: int) -> None:
    if conn not in _STRUCTURE:
        raise Refused(f"connectivity must be 4 or 8, got {conn}")


def label(grid: Grid, conn: int, by_color: bool) -> Labelling:
    """Components of non-zero cells under 4- or 8-connectivity.

    `by_color=False`: any non-zero neighbours join (multicolour objects); `True`: only equal colours.
    """
    require_conn(conn)
    g = np.ascontiguousarray(grid, dtype=np.uint8)
    return _label(g.tobytes(), g.shape, conn, by_color)


@lru_cache(maxsize=1024)
def _label(data: bytes, shape: tuple[int, int], conn: int, by_color: bool) -> Labelling:
    grid = np.frombuffer(data, dtype=np.uint8).reshape(shape)
    structure = _STRUCTURE[conn]
    if by_color:
        multi = _label(data, shape, conn, False)
        cells = multi.labels != 0
        if np.unique(multi.labels[cells].astype(np.int64) * 10 + grid[cells]).size == multi.count:
            return multi  # every multicolour component has one colour: the same components
        labels = np.zeros(shape, dtype=np.int32)
        count = 0
        for color in np.flatnonzero(np.bincount(grid.ravel(), minlength=10)[1:]) + 1:
            part, n = ndimage.label(grid == color, structure)
            labels += np.where(part > 0, part + count, 0).astype(np.int32)
            count += n
    else:
        labels, count = ndimage.label(grid != 0, structure)
    sizes = np.bincount(labels.ravel(), minlength=count + 1)[1:]
    boxes = tuple(ndimage.find_objects(labels, max_label=count))
    labels.flags.writeable = False
    sizes.flags.writeable = False
    return Labelling(labels, sizes, boxes)


def pick_extreme(comps: Labelling, largest: bool) -> int:
    """Index of the single largest (or smallest) component; refuses when none exists or it is tied."""
    if comps.count == 0:
        raise Refused("no object found")
    best = comps.sizes.max() if largest else comps.sizes.min()
    winners = np.flatnonzero(comps.sizes == best)
    if winners.size > 1:
        raise Refused(f"{winners.size} objects tie for {'largest' if largest else 'smallest'}")
    return int(winners[0])

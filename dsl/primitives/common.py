"""Helpers every primitive family shares: fresh output arrays and the size limit.

Not primitives themselves (nothing here is registered).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps

import numpy as np

from dsl.grid import MAX_SIDE
from dsl.registry import Refused
from dsl.types import Grid


def fresh(a: np.ndarray) -> Grid:
    """A new C-contiguous uint8 copy, so an output never aliases an input."""
    return np.array(a, dtype=np.uint8, order="C")


def checked(a: np.ndarray) -> Grid:
    """`fresh(a)`, refusing shapes a grid cannot have (empty, or over 30 per side)."""
    require_grid_shape(*a.shape)
    return fresh(a)


def require_grid_shape(h: int, w: int) -> None:
    """Refuse shapes a grid cannot have; called before building a result too big to keep."""
    if h == 0 or w == 0:
        raise Refused("result would be empty")
    if h > MAX_SIDE or w > MAX_SIDE:
        raise Refused(f"result would be {h}x{w}, over {MAX_SIDE} per side")


def require_positive(k: int, what: str = "factor") -> None:
    """Refuse non-positive factors and counts."""
    if k < 1:
        raise Refused(f"{what} must be at least 1, got {k}")


def require_color(c: int) -> None:
    """Refuse colours outside 0-9 (the search never enumerates them; a parsed program might)."""
    if not 0 <= c <= 9:
        raise Refused(f"colour {c} is outside 0-9")


def require_same_shape(a: Grid, b: Grid) -> None:
    """Binary cell-wise operations need equal shapes."""
    if a.shape != b.shape:
        raise Refused(f"shapes differ: {a.shape[0]}x{a.shape[1]} and {b.shape[0]}x{b.shape[1]}")


def bounding_box(mask: np.ndarray) -> tuple[slice, slice]:
    """The rows and columns spanned by the true cells of `mask`; refuses an empty mask."""
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        raise Refused("nothing to box")
    cols = np.flatnonzero(mask.any(axis=0))
    return slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1)


def crop_to_mask(grid: Grid, mask: np.ndarray) -> Grid:
    """The bounding box of the true cells of `mask`, cut from `grid`; refuses an empty mask."""
    return fresh(grid[bounding_box(mask)])


def per_grid(fn: Callable[[Grid], np.ndarray]) -> Callable[[Grid], np.ndarray]:
    """Cache a pure function of one grid (a mask, say) by the grid's shape and bytes: the search
    calls colour variants of a primitive (`fill_enclosed(I, c)` for every c) on the same grid, and
    each would otherwise recompute it. Cached arrays are read-only."""

    @lru_cache(maxsize=1024)
    def cached(data: bytes, shape: tuple[int, int]) -> np.ndarray:
        out = fn(np.frombuffer(data, dtype=np.uint8).reshape(shape))
        out.flags.writeable = False
        return out

    @wraps(fn)
    def wrapper(grid: Grid) -> np.ndarray:
        g = np.ascontiguousarray(grid, dtype=np.uint8)
        return cached(g.tobytes(), g.shape)

    return wrapper


def dilate4(mask: np.ndarray) -> np.ndarray:
    """`ndimage.binary_dilation(mask)` (the 4-neighbour cross, nothing beyond the edge) by four
    shifted ORs: the same cells, at a fraction of scipy's per-call cost."""
    out = mask.copy()
    out[1:] |= mask[:-1]
    out[:-1] |= mask[1:]
    out[:, 1:] |= mask[:, :-1]
    out[:, :-1] |= mask[:, 1:]
    return out


def pad(a: np.ndarray, width: int | tuple[tuple[int, int], tuple[int, int]], value: int = 0) -> np.ndarray:
    """`np.pad(a, width, constant_values=value)` for 2-D arrays, without its general-case overhead
    (it runs in hot primitives, on every search child)."""
    (top, bottom), (left, right) = ((width, width), (width, width)) if isinstance(width, int) else width
    h, w = a.shape
    out = np.full((h + top + bottom, w + left + right), value, dtype=a.dtype)
    out[top : top + h, left : left + w] = a
    return out


def take_along(a: np.ndarray, index: np.ndarray, axis: int) -> np.ndarray:
    """`np.take_along_axis` for 2-D arrays as one fancy index: the same values, without its
    per-call index building (it runs in hot primitives, on every search child)."""
    if axis == 0:
        return a[index, np.arange(a.shape[1])]
    return a[np.arange(a.shape[0])[:, None], index]


def nearest_on_left(grid: Grid) -> tuple[np.ndarray, np.ndarray]:
    """For every cell, the colour of and distance to the nearest non-zero cell at or left of it in its
    row (colour 0 and distance -1 where there is none): rays and in-line lookups turn the grid to
    read the other directions from this one."""
    cols = np.arange(grid.shape[1])
    last = np.maximum.accumulate(np.where(grid != 0, cols, -1), axis=1)
    # where there is none, column 0 is carried, and it is 0 there: the colours need no masking
    carried = take_along(grid, np.maximum(last, 0), axis=1)
    return carried, np.where(last >= 0, cols - last, -1)


def _same(a: np.ndarray) -> np.ndarray:
    return a


def _unmirror(a: np.ndarray) -> np.ndarray:
    return a[:, ::-1]


def _transpose(a: np.ndarray) -> np.ndarray:
    return a.T


def _up_as_left(a: np.ndarray) -> np.ndarray:
    return a[::-1].T


def _left_as_up(a: np.ndarray) -> np.ndarray:
    return a.T[::-1]


# The four line directions as (turn, back): `turn` makes the direction read as "towards the left"
# (so `nearest_on_left` serves all four), `back` returns a per-cell result to the grid's own frame.
# Order: left, right, up, down; (dr, dc) is one step in that direction.
LINE_VIEWS: tuple[tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]], ...] = (
    (_same, _same),
    (_unmirror, _unmirror),
    (_transpose, _transpose),
    (_up_as_left, _left_as_up),
)
LINE_STEPS: tuple[tuple[int, int], ...] = ((0, -1), (0, 1), (-1, 0), (1, 0))
FAR = 99  # a distance farther than any two cells of a 30x30 grid


def nearest_of(colours: list[np.ndarray], dists: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Per cell, the colour and distance of the nearest of several lookups (one per direction, say;
    ties: the first lookup)."""
    stacked = np.stack(dists)
    best = stacked.argmin(axis=0)[None]
    return np.take_along_axis(np.stack(colours), best, axis=0)[0], np.take_along_axis(stacked, best, axis=0)[
        0
    ]


def require_cells(grid: Grid, c: int) -> np.ndarray:
    """The cells of colour c, refusing the background and a colour the grid lacks: the check every
    primitive keyed on one colour's cells opens with."""
    require_color(c)
    mask = grid == c
    if c == 0 or not mask.any():
        raise Refused(f"no cells of colour {c}")
    return mask


def in_runs_of_three(grid: Grid) -> np.ndarray:
    """Non-zero cells lying in a horizontal run of at least three cells of their colour (a line)."""
    pair = (grid[:, 1:] == grid[:, :-1]) & (grid[:, 1:] != 0)  # cells j and j+1 agree
    triple = pair[:, 1:] & pair[:, :-1]  # cells j, j+1, j+2 agree
    out = np.zeros(grid.shape, dtype=bool)
    for k in range(3):  # a window starting at j covers cells j..j+2
        out[:, k : k + triple.shape[1]] |= triple
    return out


def nearest_above(hits: np.ndarray) -> np.ndarray:
    """Per cell, the row index of the nearest hit strictly above it in its column, -1 if none."""
    rows = np.where(hits, np.arange(hits.shape[0])[:, None], -1)
    above = np.full(hits.shape, -1, dtype=np.int64)
    above[1:] = np.maximum.accumulate(rows, axis=0)[:-1]
    return above

"""Empty stretches of background in a busy grid: every blank k x k square, or the largest blank
rectangle, painted with a colour."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from dsl.primitives.common import fresh, per_grid, require_color, require_positive
from dsl.registry import Refused, primitive
from dsl.types import Color, Grid, Int


def _window_sums(mask: np.ndarray, k: int) -> np.ndarray:
    """How many true cells each k x k window holds, indexed by its top-left corner."""
    s = np.zeros((mask.shape[0] + 1, mask.shape[1] + 1), dtype=np.int32)
    s[1:, 1:] = mask.cumsum(axis=0).cumsum(axis=1)
    return s[k:, k:] - s[:-k, k:] - s[k:, :-k] + s[:-k, :-k]


@primitive(cost=2.0)
def fill_blank_squares(grid: Grid, k: Int, c: Color) -> Grid:
    """Paint with colour c the k x k squares made only of background cells, taken in reading order and
    skipping any that overlaps one already taken."""
    require_positive(k, "side")
    require_color(c)
    h, w = grid.shape
    if k < 2 or k > min(h, w):
        raise Refused(f"side {k} is 1 or does not fit a {h}x{w} grid")
    taken = _blank_squares(np.ascontiguousarray(grid).tobytes(), grid.shape, k)
    if not taken.any():
        raise Refused(f"no blank {k}x{k} square")
    return fresh(np.where(taken, c, grid))


@lru_cache(maxsize=256)
def _blank_squares(data: bytes, shape: tuple[int, int], k: int) -> np.ndarray:
    """Cells of the blank k x k squares taken in reading order, none overlapping (cached: the search
    asks for every colour on the same grid)."""
    grid = np.frombuffer(data, dtype=np.uint8).reshape(shape)
    taken = np.zeros(shape, dtype=bool)
    for i, j in zip(*np.nonzero(_window_sums(grid != 0, k) == 0), strict=True):  # reading order
        if not taken[i : i + k, j : j + k].any():
            taken[i : i + k, j : j + k] = True
    taken.flags.writeable = False
    return taken


@per_grid
def _largest_blank_rectangle(grid: Grid) -> np.ndarray:
    """(top, left, bottom, right, ties) of the largest-area rectangle of background cells at least 2
    cells high and wide, as an array; -1s when there is none. Histogram-of-heights method, row by row."""
    h, w = grid.shape
    heights = np.zeros(w, dtype=np.int64)
    best, box, ties = 0, (-1, -1, -1, -1), 0
    for r in range(h):
        heights = np.where(grid[r] == 0, heights + 1, 0)
        stack: list[int] = []
        for j in range(w + 1):
            cur = int(heights[j]) if j < w else 0
            while stack and heights[stack[-1]] >= cur:
                top = stack.pop()
                ht = int(heights[top])
                left = stack[-1] + 1 if stack else 0
                area = ht * (j - left) if ht > 1 and j - left > 1 else 0
                if area > best:
                    best, box, ties = area, (r - ht + 1, left, r, j - 1), 0
                elif area == best and area and (r - ht + 1, left, r, j - 1) != box:
                    ties += 1
            stack.append(j)
    return np.array([*box, ties])


@primitive(cost=2.0)
def fill_largest_blank_rect(grid: Grid, c: Color) -> Grid:
    """Paint with colour c the largest rectangle (by area, at least 2x2) made only of background cells;
    refuses ties."""
    require_color(c)
    top, left, bottom, right, ties = (int(v) for v in _largest_blank_rectangle(grid))
    if top < 0:
        raise Refused("no blank 2x2 block")
    if ties:
        raise Refused("several largest blank rectangles")
    out = fresh(grid)
    out[top : bottom + 1, left : right + 1] = c
    return out

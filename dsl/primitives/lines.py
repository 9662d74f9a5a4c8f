"""Drawing: borders, rays from pixels to the edge, lines joining pixels, outlines around objects."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dsl.primitives.common import fresh, nearest_on_left, per_grid, require_color
from dsl.registry import Refused, primitive
from dsl.types import Color, Grid


def _carry_right(grid: Grid) -> np.ndarray:
    """For every cell, the colour of the nearest non-zero cell at or left of it in its row (0 if none)."""
    return nearest_on_left(grid)[0]


def _ray(grid: Grid, turned: Grid, untwist: Callable[[np.ndarray], np.ndarray]) -> Grid:
    """Rays rightwards in the `turned` view of the grid, turned back by `untwist`."""
    carried = untwist(_carry_right(turned))
    return fresh(np.where(grid == 0, carried, grid))


@primitive(cost=1.5)
def extend_lines_right(grid: Grid) -> Grid:
    """Shoot a ray from every non-zero cell rightwards to the edge, over background cells."""
    return _ray(grid, grid, lambda a: a)


@primitive(cost=1.5)
def extend_lines_left(grid: Grid) -> Grid:
    """Shoot a ray from every non-zero cell leftwards to the edge, over background cells."""
    return _ray(grid, grid[:, ::-1], lambda a: a[:, ::-1])


@primitive(cost=1.5)
def extend_lines_down(grid: Grid) -> Grid:
    """Shoot a ray from every non-zero cell downwards to the edge, over background cells."""
    return _ray(grid, grid.T, lambda a: a.T)


@primitive(cost=1.5)
def extend_lines_up(grid: Grid) -> Grid:
    """Shoot a ray from every non-zero cell upwards to the edge, over background cells."""
    return _ray(grid, grid[::-1].T, lambda a: a.T[::-1])


def _between(grid: Grid) -> np.ndarray:
    """Per row, the colour of background cells lying between two cells of that same colour (else 0)."""
    from_left = _carry_right(grid)
    from_right = _carry_right(grid[:, ::-1])[:, ::-1]
    return np.where((grid == 0) & (from_left == from_right), from_left, 0)


@primitive(cost=1.5)
def connect_pixels_h(grid: Grid) -> Grid:
    """Join horizontally facing cells of the same colour with a line of that colour."""
    return fresh(np.where(grid == 0, _between(grid), grid))


@primitive(cost=1.5)
def connect_pixels_v(grid: Grid) -> Grid:
    """Join vertically facing cells of the same colour with a line of that colour."""
    return fresh(np.where(grid == 0, _between(grid.T).T, grid))


@primitive(cost=1.5)
def draw_border(grid: Grid, c: Color) -> Grid:
    """Paint the outermost rows and columns with colour c."""
    require_color(c)
    out = fresh(grid)
    out[[0, -1], :] = c
    out[:, [0, -1]] = c
    return out


@primitive(cost=1.5)
def fill_blank_lines(grid: Grid, c: Color) -> Grid:
    """Paint with colour c every row and every column that is entirely 0."""
    require_color(c)
    blank = ~grid.any(axis=1)[:, None] | ~grid.any(axis=0)[None, :]
    if c == 0 or not blank.any():
        raise Refused("no blank line to fill" if c else "filling with 0 does nothing")
    return fresh(np.where(blank, c, grid))


@primitive(cost=1.5)
def outline_objects(grid: Grid, c: Color) -> Grid:
    """Paint with colour c every background cell touching a non-zero cell (8 neighbours)."""
    require_color(c)
    if c == 0:
        raise Refused("an outline of colour 0 is invisible")
    return fresh(np.where(_outline_mask(grid), c, grid))


@per_grid
def _outline_mask(grid: Grid) -> np.ndarray:
    """Background cells with a non-zero cell among their 8 neighbours."""
    filled = np.pad(grid != 0, 1)
    h, w = grid.shape
    near = np.zeros((h, w), dtype=bool)
    for dy in range(3):
        for dx in range(3):
            near |= filled[dy : dy + h, dx : dx + w]
    return (grid == 0) & near


@primitive(cost=2.0)
def draw_crosshairs(grid: Grid) -> Grid:
    """Paint the whole row and column of every non-zero cell over background, in that cell's colour."""
    rays = (extend_lines_right, extend_lines_left, extend_lines_down, extend_lines_up)
    out = grid
    for ray in rays:
        out = np.where(out == 0, ray(grid), out)
    return fresh(out)


def _sheared(grid: Grid, anti: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The grid with each diagonal (anti-diagonal when `anti`) moved into a column of its own, and the
    row and column index arrays that read the grid's cells back out of it."""
    h, w = grid.shape
    rows, cols = np.indices((h, w))
    sheared_col = rows + cols if anti else cols - rows + h - 1
    sheared = np.zeros((h, w + h - 1), dtype=np.uint8)
    sheared[rows, sheared_col] = grid
    return sheared, rows, sheared_col


_ORTHOGONAL = ((-1, 0), (1, 0), (0, -1), (0, 1))
_DIAGONALS = ((-1, -1), (-1, 1), (1, -1), (1, 1))


def _diagonal_sources(grid: Grid, anti: bool) -> tuple[np.ndarray, np.ndarray]:
    """Colour of and distance to the nearest non-zero cell up-left (or up-right when `anti`) along the
    diagonal, for every cell; distance -1 where there is none. Shears diagonals into columns."""
    sheared, rows, sheared_col = _sheared(grid, anti)
    index = np.where(sheared != 0, np.arange(grid.shape[0])[:, None], -1)
    last = np.maximum.accumulate(index, axis=0)[rows, sheared_col]
    color = sheared[np.maximum(last, 0), sheared_col]
    return np.where(last >= 0, color, 0), np.where(last >= 0, rows - last, -1)


@primitive(cost=2.0)
def extend_diagonals(grid: Grid) -> Grid:
    """Shoot rays from every non-zero cell along both diagonals to the edge, over background cells.

    Where rays meet, the cell takes the colour of the nearest source.
    """
    found = []
    for flipped in (False, True):
        view = grid[::-1] if flipped else grid
        for anti in (False, True):
            color, dist = _diagonal_sources(view, anti)
            found.append((color[::-1], dist[::-1]) if flipped else (color, dist))
    colors = np.stack([c for c, _ in found])
    dists = np.stack([np.where(d > 0, d, 99) for _, d in found])
    nearest = np.take_along_axis(colors, dists.argmin(axis=0)[None], axis=0)[0]
    reached = dists.min(axis=0) < 99
    return fresh(np.where((grid == 0) & reached, nearest, grid))


def _diagonal_ray(grid: Grid, up: bool, anti: bool) -> Grid:
    """Rays down-right from every non-zero cell (down-left when `anti`; upwards when `up`), over
    background up to the edge or the next cell, which shoots its own."""
    view = grid[::-1] if up else grid
    color, _ = _diagonal_sources(view, anti)
    return fresh(np.where(grid == 0, color[::-1] if up else color, grid))


@primitive(cost=1.5)
def extend_diagonal_down_right(grid: Grid) -> Grid:
    """Shoot a ray from every non-zero cell down and to the right to the edge, over background cells."""
    return _diagonal_ray(grid, up=False, anti=False)


@primitive(cost=1.5)
def extend_diagonal_down_left(grid: Grid) -> Grid:
    """Shoot a ray from every non-zero cell down and to the left to the edge, over background cells."""
    return _diagonal_ray(grid, up=False, anti=True)


@primitive(cost=1.5)
def extend_diagonal_up_right(grid: Grid) -> Grid:
    """Shoot a ray from every non-zero cell up and to the right to the edge, over background cells."""
    return _diagonal_ray(grid, up=True, anti=False)


@primitive(cost=1.5)
def extend_diagonal_up_left(grid: Grid) -> Grid:
    """Shoot a ray from every non-zero cell up and to the left to the edge, over background cells."""
    return _diagonal_ray(grid, up=True, anti=True)


@primitive(cost=1.5)
def connect_pixels_diag(grid: Grid) -> Grid:
    """Join diagonally facing cells of the same colour, along both diagonals, with a line of it."""
    out = fresh(grid)
    for anti in (False, True):
        sheared, rows, cols = _sheared(grid, anti)
        joined = _between(sheared.T).T[rows, cols]
        out = np.where(out == 0, joined, out)
    return fresh(out)


@primitive(cost=2.0)
def extend_diagonal_tips(grid: Grid) -> Grid:
    """Continue diagonal strokes: a cell with no same-coloured 4-neighbour, a same-coloured diagonal
    neighbour on one side and none on the other, shoots a ray that way over background until the
    edge or a non-background cell. Squares with pixels at their corners grow diagonal tails so."""
    h, w = grid.shape
    padded = np.pad(grid, 1)
    centre = padded[1:-1, 1:-1]

    def neighbour(dr: int, dc: int) -> np.ndarray:
        return padded[1 + dr : 1 + dr + h, 1 + dc : 1 + dc + w]

    lone = (centre != 0) & ~np.logical_or.reduce([neighbour(dr, dc) == centre for dr, dc in _ORTHOGONAL])
    out = fresh(grid)
    for dr, dc in _DIAGONALS:
        tips = lone & (neighbour(-dr, -dc) == centre) & (neighbour(dr, dc) != centre)
        for r, c in zip(*np.nonzero(tips), strict=True):
            colour, r, c = grid[r, c], r + dr, c + dc
            while 0 <= r < h and 0 <= c < w and grid[r, c] == 0:
                out[r, c] = colour
                r, c = r + dr, c + dc
    return out

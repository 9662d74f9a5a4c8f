"""Pattern repair: a region painted over in one colour (the mask) hides part of a symmetric or periodic
pattern; restore it from the cells that mirror it or repeat it. Also a periodic strip continued over
the blank margin after it.

Symmetries are tried with their axis anywhere near the middle, not only at the grid's centre, since
a pattern is often symmetric about a point one or two cells off it. A symmetry counts only if every
pair of unmasked cells it relates agrees and it relates most of the grid, so chance agreements on a
sliver do not fill the mask with noise.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from dsl.primitives.common import crop_to_mask, fresh, require_color
from dsl.registry import Refused, primitive
from dsl.types import Color, Grid

MIN_OVERLAP = 0.5  # a symmetry must relate at least this share of the grid's cells to others
PROBES = 24  # pairs checked before a symmetry's full check
MAX_MASK = 0.3  # a mask hides at most this share of the grid
MAX_DOMINANT = 0.75  # no colour covers more of the visible cells of a pattern worth repairing


@lru_cache(maxsize=32)  # about 0.5 MB per 30x30 shape
def _mirror_maps(h: int, w: int) -> tuple[tuple[tuple[np.ndarray, np.ndarray], ...], np.ndarray, np.ndarray]:
    """(cells, their mirror cells) as flat indices per map, and a spread-out sample of both for all
    maps: mirrors, half and quarter turns about axes and centres near the middle, diagonal mirrors of
    square grids; only maps relating enough of the grid."""
    rows, cols = np.indices((h, w))
    row_sums = sorted(range(h // 2, 2 * h - 1 - h // 2), key=lambda s: abs(s - (h - 1)))
    col_sums = sorted(range(w // 2, 2 * w - 1 - w // 2), key=lambda s: abs(s - (w - 1)))
    sources = [(rows, s - cols) for s in col_sums] + [(s - rows, cols) for s in row_sums]
    centres = [(sr, sc) for sr in row_sums[:3] for sc in col_sums[:3]]  # doubled centre coordinates
    sources += [(sr - rows, sc - cols) for sr, sc in centres]
    for sr, sc in centres:
        if (sr - sc) % 2 == 0:  # quarter turns both ways about a centre on the cell lattice
            sources += [
                ((sr - sc) // 2 + cols, (sr + sc) // 2 - rows),
                ((sr + sc) // 2 - cols, rows - (sr - sc) // 2),
            ]
    if h == w:
        for d in range(-2, 3):
            sources += [(cols - d, rows + d), (h - 1 - cols + d, w - 1 - rows + d)]
    maps = []
    for r, c in sources:
        ok = ((r >= 0) & (r < h) & (c >= 0) & (c < w)).ravel()
        if np.count_nonzero(ok) >= MIN_OVERLAP * h * w:
            maps.append((np.flatnonzero(ok).astype(np.int32), (r * w + c).ravel()[ok].astype(np.int32)))
    probes = [np.linspace(0, len(cells) - 1, PROBES).astype(np.intp) for cells, _ in maps]
    probe_cells = np.array([cells[p] for (cells, _), p in zip(maps, probes, strict=True)])
    probe_mirrors = np.array([mirrors[p] for (_, mirrors), p in zip(maps, probes, strict=True)])
    return tuple(maps), probe_cells, probe_mirrors


def _fill_by_symmetry(grid: Grid, known: np.ndarray) -> tuple[Grid, np.ndarray]:
    out, known = grid.ravel().copy(), known.ravel().copy()
    maps, probe_cells, probe_mirrors = _mirror_maps(*grid.shape)
    # a few spread-out pairs per symmetry reject most wrong ones at once, before the full checks
    clash = (out[probe_cells] != out[probe_mirrors]) & known[probe_cells] & known[probe_mirrors]
    for i in np.flatnonzero(~clash.any(axis=1)):
        cells, mirrors = maps[i]
        both = known[cells] & known[mirrors]
        if not both.any() or (out[cells[both]] != out[mirrors[both]]).any():
            continue
        take = ~known[cells] & known[mirrors]
        if take.any():
            out[cells[take]] = out[mirrors[take]]
            known[cells[take]] = True
            if known.all():
                break
    return out.reshape(grid.shape), known.reshape(grid.shape)


def _periods(grid: Grid, known: np.ndarray, axis: int) -> list[int]:
    """Shifts p along an axis under which known cells p apart never disagree, plus the full length."""
    n = grid.shape[axis]
    g, k = (grid, known) if axis == 0 else (grid.T, known.T)
    found = [p for p in range(1, n) if not ((g[p:] != g[:-p]) & k[p:] & k[:-p]).any()]
    return [*found, n]


def _fill_by_period(grid: Grid, known: np.ndarray) -> tuple[Grid, np.ndarray]:
    """The smallest tile (by area) that every known cell agrees with and that repeats at least twice."""
    h, w = grid.shape
    rows, cols = np.indices((h, w))
    values = grid[known].astype(np.int64)
    py_options, px_options = _periods(grid, known, 0), _periods(grid, known, 1)
    sizes = [(py, px) for py in py_options for px in px_options if 2 * py * px <= h * w]
    for py, px in sorted(sizes, key=lambda p: (p[0] * p[1], p)):
        cls = ((rows % py) * px + cols % px)[known]
        count = np.bincount(cls, minlength=py * px)
        if not count.all():
            continue
        total = np.bincount(cls, values, minlength=py * px)
        if (count * np.bincount(cls, values * values, minlength=py * px) == total * total).all():
            tile = (total // count).astype(np.uint8)
            return tile[(rows % py) * px + cols % px], np.ones_like(known)
    return grid, known


def repaired(grid: Grid, c: int) -> Grid:
    """`grid` with its colour-c cells restored from mirror images, or failing that a repeating tile."""
    require_color(c)
    known = grid != c
    if known.all():
        raise Refused(f"no cells of colour {c} to repair")
    if MAX_MASK * grid.size < np.count_nonzero(~known):
        raise Refused(f"colour {c} covers too much of the grid to be a mask")
    visible = grid[known]
    if np.bincount(visible, minlength=10).max() > MAX_DOMINANT * visible.size:
        raise Refused("mostly one colour: a picture on a background, not a pattern")
    out, now_known = _fill_by_symmetry(grid, known)
    if not now_known.all():
        out, now_known = _fill_by_period(grid, known)
    if not now_known.all():
        raise Refused("no symmetry or tile restores the masked cells")
    return fresh(out)


@primitive(cost=2.0)
def repair_masked(grid: Grid, c: Color) -> Grid:
    """Restore the cells painted colour c from the pattern's symmetries or repeating tile."""
    return repaired(grid, c)


@primitive(cost=2.0)
def masked_patch(grid: Grid, c: Color) -> Grid:
    """What the colour-c mask hides: the repaired pattern cut to the mask's bounding box."""
    return crop_to_mask(repaired(grid, c), grid == c)


def _continued_right(grid: Grid) -> Grid | None:
    """The columns up to the last non-blank one, repeated rightwards over the blank margin with their
    smallest period; None without a margin or a period that repeats over enough of them."""
    used = np.flatnonzero(grid.any(axis=0))
    if used.size == 0 or used[-1] == grid.shape[1] - 1:
        return None
    part = grid[:, : used[-1] + 1]
    n = part.shape[1]
    for p in range(1, n):
        if n - p >= max(2, p / 2) and (part[:, p:] == part[:, :-p]).all():
            return part[:, np.arange(grid.shape[1]) % p]
    return None


@primitive(cost=2.0)
def continue_pattern(grid: Grid) -> Grid:
    """Repeat a periodic strip over the blank margin after it: rightwards, else downwards, else
    leftwards, else upwards (the first direction with a margin and a period)."""
    for turns in range(4):
        turned = np.rot90(grid, turns)
        out = _continued_right(turned)
        if out is not None:
            return fresh(np.rot90(out, -turns))
    raise Refused("no periodic strip before a blank margin")


_STRIPES = (  # a cell's stripe, before taking it modulo the period
    lambda r, c: r + c,
    lambda r, c: r - c,
    lambda r, c: r,
    lambda r, c: c,
)


@primitive(cost=2.0)
def fill_periodic_stripes(grid: Grid) -> Grid:
    """Complete sparse stripes that repeat every k cells (diagonal, anti-diagonal, horizontal or
    vertical): every cell takes the one colour its stripe class shows. The smallest k, diagonals first,
    whose every class shows exactly one colour wins; a sparse pattern the masked repairs leave alone."""
    h, w = grid.shape
    rows, cols = np.indices((h, w))
    known = grid != 0
    colours = grid[known].astype(np.int64)
    shown = [stripe(rows[known], cols[known]) for stripe in _STRIPES]
    for k in range(2, min(max(h, w), colours.size + 1)):
        for stripe, at in zip(_STRIPES, shown, strict=True):
            seen = np.bincount(at % k * 10 + colours, minlength=10 * k).reshape(k, 10) > 0
            if (seen.sum(axis=1) == 1).all():
                return fresh(seen.argmax(axis=1)[stripe(rows, cols) % k])
    raise Refused("no stripe period shows one colour per class")

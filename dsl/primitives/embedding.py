"""Canvases: the grid set on a larger blank canvas, at a fixed place from one corner, so same-shape
primitives (rays, repetition) can continue its pattern over the room around it.

A placement reads `rows,cols@corner:dr,dc`. Each side is a term in the grid's own height `h` and
width `w`: `2h` (twice the height), `1/2w` (half the width), `h+3`, `wc` (the width times the number
of non-zero colours), or a fixed number such as `10`.
`2h,2w@tl:0,0` is a canvas twice the grid's size with the grid in its top-left corner.
"""

from __future__ import annotations

import re
from fractions import Fraction

import numpy as np

from dsl.grid import MAX_SIDE
from dsl.primitives.crop import CORNERS, from_corner
from dsl.registry import Refused, primitive
from dsl.types import Grid, Placement

_TERM = re.compile(r"(?:(\d+)?(?:/(\d+))?([hw]c?)([+-]\d+)?|(\d+))")


def side_term(k: Fraction, source: str, add: int) -> str:
    """The text of a side that is `k` times the grid's `source` side (`h` or `w`, times its number of
    colours after a `c`) plus `add`, or the fixed number `add` when `source` is empty."""
    if not source:
        return str(add)
    scale = "" if k == 1 else str(k.numerator) if k.denominator == 1 else f"{k.numerator}/{k.denominator}"
    return f"{scale}{source}{f'{add:+d}' if add else ''}"


def side_size(term: str, grid: Grid) -> int:
    """The length a side term gives the grid; refuses a fraction of a cell."""
    match = _TERM.fullmatch(term)
    if match is None:
        raise Refused(f"malformed side {term!r}")
    num, den, source, add, fixed = match.groups()
    if fixed is not None:
        return int(fixed)
    side = grid.shape[0] if source[0] == "h" else grid.shape[1]
    if source.endswith("c"):
        side *= colour_count(grid)
    value = Fraction(int(num or 1), int(den or 1)) * side + int(add or 0)
    if value.denominator != 1:
        raise Refused(f"side {term} is not a whole number of cells for a {grid.shape} grid")
    return int(value)


def colour_count(grid: Grid) -> int:
    """How many non-zero colours the grid holds."""
    return int(np.count_nonzero(np.bincount(grid.ravel(), minlength=10)[1:]))


def parse_placement(placement: str) -> tuple[str, str, str, int, int]:
    """`rows,cols@corner:dr,dc` -> (rows term, cols term, corner, rows in from it, columns in from it)."""
    try:
        size, place = placement.split("@")
        rows, cols = size.split(",")
        corner, offsets = place.split(":")
        dr, dc = (int(v) for v in offsets.split(","))
    except ValueError:
        raise Refused(f"malformed placement {placement!r}") from None
    if corner not in CORNERS or min(dr, dc) < 0 or not (_TERM.fullmatch(rows) and _TERM.fullmatch(cols)):
        raise Refused(f"malformed placement {placement!r}")
    return rows, cols, corner, dr, dc


@primitive(cost=1.0)
def embed(grid: Grid, placement: Placement) -> Grid:
    """Set the grid on a blank canvas sized from its own sides, at a place from one corner
    (`2h,2w@tl:0,0`: twice its size, in the top-left corner)."""
    rows, cols, corner, dr, dc = parse_placement(placement)
    h, w = grid.shape
    big_h, big_w = side_size(rows, grid), side_size(cols, grid)
    if not (h <= big_h <= MAX_SIDE and w <= big_w <= MAX_SIDE) or (big_h, big_w) == (h, w):
        raise Refused(f"no {big_h}x{big_w} canvas around a {h}x{w} grid")
    r, c = from_corner(corner, dr, dc, big_h - h, big_w - w)
    if r < 0 or c < 0 or r + h > big_h or c + w > big_w:
        raise Refused(f"a {h}x{w} grid does not fit {placement}")
    out = np.zeros((big_h, big_w), dtype=np.uint8)
    out[r : r + h, c : c + w] = grid
    return out

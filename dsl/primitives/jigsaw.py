"""Jigsaw: the pieces lying apart on the grid slid together, without turning, into the one rectangle
they fill exactly (a small exact-cover search: each step covers the first empty cell in reading
order with the first cell of an unused piece)."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import checked
from dsl.primitives.components import label
from dsl.registry import Refused, primitive
from dsl.types import Grid

MAX_PIECES = 6


def _tilings(pieces: list[Grid], h: int, w: int, limit: int) -> list[Grid]:
    """Up to `limit` ways to fill an h x w rectangle exactly with every piece once."""
    board = np.zeros((h, w), dtype=np.uint8)
    used = [False] * len(pieces)
    # each piece's cells relative to its first cell in reading order
    offsets = []
    for p in pieces:
        r, c = np.nonzero(p)
        offsets.append((r - r[0], c - c[0], p[r, c]))
    # equal pieces are tried once per cell, so their swaps do not count as other fits
    kinds = [(p.shape, p.tobytes()) for p in pieces]
    found: list[Grid] = []

    def place(start: int) -> None:
        empty = np.flatnonzero(board.ravel()[start:] == 0)
        if empty.size == 0:
            found.append(board.copy())
            return
        at = start + int(empty[0])
        y, x = divmod(at, w)
        tried = set()
        for k, (dr, dc, colours) in enumerate(offsets):
            if used[k] or kinds[k] in tried:
                continue
            tried.add(kinds[k])
            rr, cc = dr + y, dc + x
            if rr.max() >= h or cc.min() < 0 or cc.max() >= w or board[rr, cc].any():
                continue
            used[k] = True
            board[rr, cc] = colours
            place(at + 1)
            board[rr, cc] = 0
            used[k] = False
            if len(found) >= limit:
                return

    place(0)
    return found


@primitive(cost=2.0)
def assemble_pieces(grid: Grid) -> Grid:
    """Slide the separate pieces (8-connected objects, 2 to 6) together without turning them into the
    one rectangle they fill exactly; refuses none or several such fits."""
    comps = label(grid, 8, by_color=False)
    if not 2 <= comps.count <= MAX_PIECES:
        raise Refused(f"{comps.count} pieces")
    pieces = [comps.cut(i, grid) for i in range(comps.count)]
    total = int(comps.sizes.sum())
    tall = max(p.shape[0] for p in pieces)
    wide = max(p.shape[1] for p in pieces)
    fits: list[Grid] = []
    for h in range(tall, min(total, 30) + 1):
        w, rest = divmod(total, h)
        if rest or w < wide or w > 30:
            continue
        fits += _tilings(pieces, h, w, 2)
        if len(fits) > 1:
            break
    if len(fits) != 1:
        raise Refused(f"{len(fits)} rectangles the pieces fill")
    return checked(fits[0])

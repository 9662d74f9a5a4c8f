"""A one-colour pattern coloured by a small key kept in the other cells between separators."""

from __future__ import annotations

import numpy as np

from dsl.primitives.common import fresh
from dsl.primitives.split import cell_layout
from dsl.registry import Refused, primitive
from dsl.types import Grid


@primitive(cost=2.0)
def paint_by_key(grid: Grid) -> Grid:
    """The largest cell between separators, a one-colour pattern, with each of its blocks painted by
    the key the other non-blank cells make in their layout (blown up to the pattern's size)."""
    row_spans, col_spans = cell_layout(grid)
    cells = {(i, j): grid[r, c] for i, r in enumerate(row_spans) for j, c in enumerate(col_spans)}
    big = max(cells, key=lambda k: cells[k].size)
    pattern = cells[big]
    if sum(c.size == pattern.size for c in cells.values()) > 1 or np.unique(pattern[pattern != 0]).size != 1:
        raise Refused("no single largest one-colour cell")
    keyed = [k for k, c in cells.items() if k != big and c.any()]
    if not keyed:
        raise Refused("no key beside the pattern")
    rows = sorted({i for i, _ in keyed})
    cols = sorted({j for _, j in keyed})
    parts = [[cells[(i, j)] for j in cols] for i in rows]
    if any((i, j) not in keyed for i in rows for j in cols):
        raise Refused("the key cells do not make a full grid")
    try:
        key = np.block(parts)
    except ValueError as err:
        raise Refused("the key cells do not fit together") from err
    (h, w), (kh, kw) = pattern.shape, key.shape
    if h % kh or w % kw:
        raise Refused("the key does not divide the pattern")
    big_key = np.repeat(np.repeat(key, h // kh, axis=0), w // kw, axis=1)
    return fresh(np.where(pattern != 0, big_key, 0))

"""Classification tasks: the output is one of a few fixed grids, chosen by a property of the whole
input (how many colours it uses, its main colour, how many cells or objects it has, whether it is
mirror-symmetric, the pattern its non-zero cells make).

The property and its value -> grid table are a literal the search infers from the train pairs
(`synth.inference`), e.g. `lookup_grid(I, 'ncolors:1>555/000/000;2>500/050/005')`: an input of
one colour becomes the first grid, of two colours the second. Values the table does not list refuse.
"""

from __future__ import annotations

import zlib
from functools import lru_cache

import numpy as np

from dsl.primitives.common import fresh
from dsl.primitives.components import label
from dsl.registry import Refused, primitive
from dsl.types import Grid, GridTable


def _ncolors(grid: Grid) -> int:
    return int(np.count_nonzero(np.bincount(grid.ravel(), minlength=10)[1:]))


def _color(grid: Grid) -> int:
    counts = np.bincount(grid.ravel(), minlength=10)[1:]
    return int(counts.argmax()) + 1 if counts.any() else 0


def _cells(grid: Grid) -> int:
    return int(np.count_nonzero(grid))


def _objects(grid: Grid) -> int:
    return label(grid, 8, by_color=False).count


def _colorset(grid: Grid) -> int:
    present = np.flatnonzero(np.bincount(grid.ravel(), minlength=10)[1:]) + 1
    return int(sum(1 << int(c) for c in present))


def _mirrored(grid: Grid) -> int:
    """1 when the grid reads the same mirrored left to right."""
    return int(np.array_equal(grid, grid[:, ::-1]))


def _mask(grid: Grid) -> int:
    """The pattern of non-zero cells (a hash), colours aside."""
    return zlib.crc32(np.packbits(grid != 0).tobytes() + bytes(grid.shape)) % 1_000_000


# property name -> measure on the whole grid, simplest first
GRID_PROPERTIES = {
    "ncolors": _ncolors,
    "color": _color,
    "objects": _objects,
    "cells": _cells,
    "colorset": _colorset,
    "mirrored": _mirrored,
    "mask": _mask,
}


def encode_grid(grid: Grid) -> str:
    """Rows of digits joined by '/'."""
    return "/".join("".join(str(int(v)) for v in row) for row in grid)


def _decode_grid(text: str) -> Grid:
    rows = text.split("/")
    if not rows or not all(r.isdigit() and len(r) == len(rows[0]) for r in rows):
        raise Refused(f"bad grid literal {text[:20]!r}")
    return np.array([[int(ch) for ch in r] for r in rows], dtype=np.uint8)


@lru_cache(maxsize=256)
def parse_table(table: str) -> tuple[str, dict[int, Grid]]:
    """(property, value -> grid) of `prop:v>rows/rows;v>rows`; Refused if malformed."""
    prop, _, body = table.partition(":")
    if prop not in GRID_PROPERTIES or not body:
        raise Refused(
            f"grid table must read P:v>grid;... with P in {tuple(GRID_PROPERTIES)}, got {table[:24]!r}"
        )
    out = {}
    for entry in body.split(";"):
        value, _, text = entry.partition(">")
        if not value.isdigit() or int(value) in out:
            raise Refused(f"bad grid table entry {entry[:20]!r}")
        out[int(value)] = _decode_grid(text)
    return prop, out


@primitive(cost=2.0)
def lookup_grid(grid: Grid, table: GridTable) -> Grid:
    """The table's grid for the input's measured property; refuses a value the table lacks."""
    prop, grids = parse_table(table)
    value = GRID_PROPERTIES[prop](grid)
    if value not in grids:
        raise Refused(f"{prop} {value} is not in the table")
    return fresh(grids[value])

"""Grids: 2-D numpy arrays of colours 0-9, at most 30 per side.

Inside the project a grid is always a C-contiguous ``uint8`` array; lists of lists live only at the
edges (JSON files, the sandbox, reports).
"""

from __future__ import annotations

from typing import Any

import numpy as np

Grid = np.ndarray
MAX_SIDE = 30
N_COLORS = 10
DTYPE = np.uint8


class GridError(ValueError):
    """A value that is not a valid ARC grid; the message says what is wrong."""


def make_grid(rows: Any) -> Grid:
    """Validate a grid given as nested lists (or an array) and return it as a uint8 array."""
    if isinstance(rows, np.ndarray):
        return _check_array(rows)
    if not isinstance(rows, list):
        raise GridError(f"grid is {_kind(rows)}, expected a list of rows")
    if not rows:
        raise GridError("grid is empty")
    if len(rows) > MAX_SIDE:
        raise GridError(f"grid has {len(rows)} rows, over {MAX_SIDE}")
    width = None
    for i, row in enumerate(rows):
        if not isinstance(row, list):
            raise GridError(f"row {i} is {_kind(row)}, expected a list of cells")
        if not row:
            raise GridError(f"row {i} is empty")
        if width is None:
            width = len(row)
            if width > MAX_SIDE:
                raise GridError(f"grid has {width} columns, over {MAX_SIDE}")
        elif len(row) != width:
            raise GridError(f"grid is not rectangular (row 0 has {width} cells, row {i} has {len(row)})")
        for j, v in enumerate(row):
            if type(v) is not int:  # bool and float are refused on purpose
                raise GridError(f"cell ({i}, {j}) is {v!r}, not an integer")
            if not 0 <= v < N_COLORS:
                raise GridError(f"cell ({i}, {j}) is {v}, outside 0-9")
    return np.array(rows, dtype=DTYPE)


def _kind(value: Any) -> str:
    """The JSON name of a decoded value's type, for error messages."""
    names = {dict: "an object", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _check_array(a: np.ndarray) -> Grid:
    if a.ndim != 2 or a.size == 0:
        raise GridError(f"grid must be a non-empty 2-D array, got shape {a.shape}")
    if a.shape[0] > MAX_SIDE or a.shape[1] > MAX_SIDE:
        raise GridError(f"grid is {a.shape[0]}x{a.shape[1]}, over {MAX_SIDE} per side")
    if a.dtype.kind not in "iu":
        raise GridError(f"grid has dtype {a.dtype}, not integers")
    if a.min() < 0 or a.max() >= N_COLORS:
        raise GridError("grid has values outside 0-9")
    return np.ascontiguousarray(a, dtype=DTYPE)


def is_valid_grid(a: object) -> bool:
    """True for a 2-D integer array with sides 1-30 and values 0-9."""
    return (
        isinstance(a, np.ndarray)
        and a.ndim == 2
        and 0 < a.shape[0] <= MAX_SIDE
        and 0 < a.shape[1] <= MAX_SIDE
        and a.dtype.kind in "iu"
        and (a.size == 0 or (int(a.min()) >= 0 and int(a.max()) < N_COLORS))
    )


def grid_to_list(grid: Grid) -> list[list[int]]:
    """The JSON form of a grid."""
    return [[int(v) for v in row] for row in grid]


def grid_key(grid: Grid) -> bytes:
    """A hashable key that tells two grids apart, shape included."""
    return bytes((grid.shape[0], grid.shape[1])) + np.ascontiguousarray(grid, dtype=DTYPE).tobytes()


def grids_equal(a: Grid, b: Grid) -> bool:
    """Exact match, shape first (ARC scoring)."""
    return a.shape == b.shape and bool(np.array_equal(a, b))

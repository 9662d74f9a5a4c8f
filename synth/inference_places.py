"""Shared steps of the inferences that place a grid inside another (`crop_window`'s window, `embed`'s
canvas): the places one pair allows, named from every corner so pairs of different sizes can agree on
one, and the choice among the agreed places of those that tell the test grids apart."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

import numpy as np

from dsl.grid import Grid
from dsl.primitives.crop import CORNERS, from_corner

Place = tuple[str, int, int]  # a corner and the offset from it
T = TypeVar("T")


def corner_places(offsets: np.ndarray, spare_rows: int, spare_cols: int) -> set[Place]:
    """Every top-left (row, col) offset of `offsets` named from each of the four corners."""
    return {
        (corner, *from_corner(corner, r, c, spare_rows, spare_cols))
        for r, c in offsets.tolist()
        for corner in CORNERS
    }


def nearest_corner_first(places: Iterable[Place]) -> list[Place]:
    """Places nearer their corner first, then by corner (top-left first)."""
    return sorted(places, key=lambda p: (p[1] + p[2], CORNERS.index(p[0])))


def distinct_on_test(
    options: Iterable[T], predict: Callable[[Grid, T], Grid], test_state: Sequence[Grid], limit: int
) -> list[T]:
    """The first `limit` options, in order, whose predictions on the test grids (`predict(grid,
    option)`) differ from every kept one's; an option a test grid refuses (a ValueError) is skipped."""
    kept: list[T] = []
    seen: set[bytes] = set()
    for option in options:
        try:
            key = b"|".join(g.tobytes() + bytes(g.shape) for g in (predict(t, option) for t in test_state))
        except ValueError:
            continue
        if key not in seen:
            seen.add(key)
            kept.append(option)
        if len(kept) == limit:
            break
    return kept

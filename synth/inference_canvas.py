"""Where `embed` puts a grid: the canvas size and the grid's place on it, read off the train pairs.

The size of each side of the canvas is a rule every train pair obeys: the same side times a fixed
ratio, a fixed number, the same side plus a fixed number, the other side times a fixed ratio
(`1/2w` rows for a 1xN input whose output is N/2 rows high), or a side times the input's number of
colours. The place is one offset from one corner
at which every train output holds its input: each non-zero input cell shows in the output either
with its own colour or, when no place keeps the colours, with the colour a map per pair gives it
(the input recoloured on its way). Test inputs only size the canvas and pick between rules that
the train pairs cannot tell apart; test outputs are never seen.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from fractions import Fraction
from itertools import product

import numpy as np

from dsl.grid import Grid
from dsl.primitives.embedding import colour_count, embed, parse_placement, side_term
from synth.inference_places import Place, corner_places, distinct_on_test, nearest_corner_first

MAX_OPTIONS = 2
_OWN_RATIO = {side: re.compile(rf"(\d+(/\d+)?)?{side}") for side in "hw"}  # a side times a ratio


def _side_rules(out_sides: list[int], state: Sequence[Grid], axis: int) -> list[str]:
    """Side terms that give every train output's side on `axis` from its input grid: the same side
    times a ratio, a fixed number, the same side plus a number, the other side times a ratio, either
    side times the number of colours times a ratio (simplest first)."""
    names = ("h", "w") if axis == 0 else ("w", "h")
    colours = [colour_count(g) for g in state]
    same = [g.shape[axis] for g in state]
    other = [g.shape[1 - axis] for g in state]
    rules: list[str] = []
    if len(ratios := {Fraction(o, s) for o, s in zip(out_sides, same, strict=True)}) == 1:
        rules.append(side_term(ratios.pop(), names[0], 0))
    if len(set(out_sides)) == 1:
        rules.append(str(out_sides[0]))
    if len(adds := {o - s for o, s in zip(out_sides, same, strict=True)}) == 1 and (add := adds.pop()) > 0:
        rules.append(side_term(Fraction(1), names[0], add))
    for name, sides in ((names[1], other), (names[0] + "c", same), (names[1] + "c", other)):
        if name.endswith("c"):
            sides = [s * c for s, c in zip(sides, colours, strict=True)]
        if len(ratios := {Fraction(o, s) for o, s in zip(out_sides, sides, strict=True)}) == 1:
            rules.append(side_term(ratios.pop(), name, 0))
    return rules


def _offsets(grid: Grid, out: Grid, recoloured: bool) -> np.ndarray:
    """(row, col) of every place where `out` holds the grid's non-zero cells: with their colours, or
    (recoloured) with the colours one map per input colour gives them, every one non-zero."""
    windows = np.lib.stride_tricks.sliding_window_view(out, grid.shape)
    cells = grid != 0
    seen = windows[:, :, cells]  # (places, places, non-zero cells)
    if not recoloured:
        return np.argwhere((seen == grid[cells]).all(axis=2))
    fits = (seen != 0).all(axis=2)
    values = grid[cells]
    for colour in np.unique(values).tolist():
        got = seen[:, :, values == colour]
        fits &= (got == got[:, :, :1]).all(axis=2)
    return np.argwhere(fits)


def _common_places(state: Sequence[Grid], outputs: Sequence[Grid], recoloured: bool) -> set[Place]:
    common: set[Place] | None = None
    for a, b in zip(state, outputs, strict=True):
        places = corner_places(_offsets(a, b, recoloured), b.shape[0] - a.shape[0], b.shape[1] - a.shape[1])
        common = places if common is None else common & places
        if not common:
            return set()
    return common or set()


def infer_placement(
    state: Sequence[Grid], outputs: Sequence[Grid], test_state: Sequence[Grid] = ()
) -> list[str]:
    """Placements that put every train state grid where its output holds it on a canvas of the
    output's size, up to two that set the test grids differently (simpler size rules first, then
    places nearer a corner). None unless every output is larger than its grid, every grid has a
    non-zero cell, and one place from one corner holds all of them."""
    if not outputs or len(state) != len(outputs):
        return []
    for a, b in zip(state, outputs, strict=True):
        if a.shape == b.shape or a.shape[0] > b.shape[0] or a.shape[1] > b.shape[1] or not a.any():
            return []
    rows = _side_rules([b.shape[0] for b in outputs], state, 0)
    cols = _side_rules([b.shape[1] for b in outputs], state, 1)
    if not rows or not cols:
        return []
    places = _common_places(state, outputs, recoloured=False) or _common_places(
        state, outputs, recoloured=True
    )
    texts = [
        f"{row},{col}@{corner}:{dr},{dc}"
        for (row, col), (corner, dr, dc) in product(product(rows, cols), nearest_corner_first(places))
    ]
    return distinct_on_test(texts, embed, test_state, MAX_OPTIONS)


def placement_bits(text: str) -> float:
    """Description length of a placement: a bit per side rule beyond the side's own ratio, its corner,
    and its offsets from it."""
    rows, cols, _, dr, dc = parse_placement(text)
    rules = (_OWN_RATIO["h"].fullmatch(rows) is None) + (_OWN_RATIO["w"].fullmatch(cols) is None)
    return rules + 2.0 + math.log2(1 + dr) + math.log2(1 + dc)

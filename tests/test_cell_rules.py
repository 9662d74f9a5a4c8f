"""Cells between separator lines recoloured by their place or fullness, the rule read off the pairs."""

from __future__ import annotations

import numpy as np

from dsl.grid import grids_equal
from dsl.primitives import recolor_cells_by
from synth.inference_cells import cell_rule_bits, infer_cell_rule


def layout(cells: int, side: int = 2, separator: int = 5) -> np.ndarray:
    """`cells` x `cells` blank cells of `side` x `side`, between separator lines."""
    n = cells * side + cells - 1
    grid = np.zeros((n, n), dtype=np.uint8)
    grid[side :: side + 1, :] = separator
    grid[:, side :: side + 1] = separator
    return grid


def cell(grid: np.ndarray, i: int, j: int, side: int = 2) -> tuple[slice, slice]:
    return slice(i * (side + 1), i * (side + 1) + side), slice(j * (side + 1), j * (side + 1) + side)


def test_places_name_corners_and_centre_in_layouts_of_any_size() -> None:
    for n in (3, 5):
        out = recolor_cells_by(layout(n), "place:tl>1,c>2,br>3")
        expected = layout(n)
        expected[cell(expected, 0, 0)] = 1
        expected[cell(expected, n // 2, n // 2)] = 2
        expected[cell(expected, n - 1, n - 1)] = 3
        assert grids_equal(out, expected)


def speckled(rng: np.random.Generator, colour: int) -> tuple[np.ndarray, np.ndarray]:
    """A 3x3 layout with a few `colour` pixels per cell, one cell fullest; and the grid with that
    cell filled with its colour and the others cleared."""
    grid = layout(3, side=3)
    counts = rng.permutation([4, 3, 2, 2, 1, 1, 1, 0, 0])
    out = grid.copy()
    for k, count in enumerate(counts):
        at = cell(grid, k // 3, k % 3, side=3)
        flat = np.zeros(9, dtype=np.uint8)
        flat[rng.choice(9, size=count, replace=False)] = colour
        grid[at] = flat.reshape(3, 3)
        out[at] = colour if count == 4 else 0
    return grid, out


def test_the_fullest_cell_is_filled_with_its_own_colour_whatever_the_colour() -> None:
    rng = np.random.default_rng(0)
    pairs = [speckled(rng, c) for c in (1, 2, 3)]
    rules = infer_cell_rule([a for a, _ in pairs], [b for _, b in pairs])
    assert rules == ["full:0>0,1>f"]
    test, expected = speckled(rng, 7)  # a colour no pair shows
    assert grids_equal(recolor_cells_by(test, rules[0]), expected)
    assert cell_rule_bits(rules[0]) == 4.0


def test_no_cell_rule_when_the_separators_change_or_a_place_changes_two_ways() -> None:
    rng = np.random.default_rng(1)
    a, b = speckled(rng, 2)
    moved = b.copy()
    moved[3, 0] = 0  # a separator cell cleared
    assert infer_cell_rule([a], [moved]) == []
    c, d = speckled(rng, 2)
    assert infer_cell_rule([a, c], [b, np.where(d == 2, 4, d)]) == []  # fullest: own colour, then 4
    assert infer_cell_rule([a], [a]) == []  # nothing changes

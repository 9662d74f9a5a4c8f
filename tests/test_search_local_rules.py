"""Local rules read off the train pairs: coarser neighbourhoods (colour sets around the cell, in its
row and column) when the 3x3 keys do not cover the test input, and backed-off rules when no single
neighbourhood is consistent."""

from __future__ import annotations

import numpy as np

from dsl.grid import grids_equal
from dsl.registry import PRIMITIVES
from synth.inference_local import infer_local_rule, infer_local_rules, infer_place_rule, local_rule_bits

apply_rule = PRIMITIVES["apply_local_rule"].fn


def halo(grid: np.ndarray, source: int, colour: int) -> np.ndarray:
    """Background cells touching (8 neighbours) a `source` cell become `colour`."""
    padded = np.pad(grid == source, 1)
    h, w = grid.shape
    near = np.zeros((h, w), dtype=bool)
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            near |= padded[1 + dr : 1 + dr + h, 1 + dc : 1 + dc + w]
    return np.where((grid == 0) & near, colour, grid).astype(np.uint8)


def pixels(rng: np.random.Generator, n: int, colours: tuple[int, ...], size: int = 9) -> np.ndarray:
    grid = np.zeros((size, size), dtype=np.uint8)
    for _ in range(n):
        grid[rng.integers(size), rng.integers(size)] = rng.choice(colours)
    return grid


def halo_task(seed: int) -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray]:
    """Six train grids and a test grid of a few 2 and 5 pixels; the 2s grow a halo of 1s."""
    rng = np.random.default_rng(seed)
    train = [pixels(rng, 3, (2, 5), size=10) for _ in range(6)]
    test = pixels(rng, 3, (2, 5), size=10)
    return train, [halo(g, 2, 1) for g in train], test


def test_colour_set_keys_cover_neighbourhoods_the_train_pairs_never_showed_exactly() -> None:
    train, outputs, test = halo_task(7)  # the test input puts pixels closer than any train input
    rules = infer_local_rule(train, outputs, [test])
    # no 3x3 or cross table knows every test cell; the edge/corner sets do once blind to 5s
    assert rules and rules[0].startswith("s@2:")
    assert grids_equal(apply_rule(test, rules[0]), halo(test, 2, 1))


def test_sets_blind_to_colours_that_do_not_matter_and_figures_of_new_colours_stay() -> None:
    rng = np.random.default_rng(11)
    train = [pixels(rng, 4, (2, 3)) for _ in range(4)]
    test = pixels(rng, 6, (2, 7))  # 7 never appears in a train pair, and sits next to 2s
    test[4, 3:6] = (2, 7, 2)
    rules = infer_local_rule(train, [halo(g, 2, 1) for g in train], [test])
    assert rules and "@2:" in rules[0]  # 3s (and 7s) do not matter: the sets see only 2s
    assert grids_equal(apply_rule(test, rules[0]), halo(test, 2, 1))


def test_row_and_column_sets_paint_crossings() -> None:
    # a background cell whose row holds a 3 and whose column holds a 4 becomes 6
    def crossings(grid: np.ndarray) -> np.ndarray:
        rows = (grid == 3).any(axis=1, keepdims=True)
        cols = (grid == 4).any(axis=0, keepdims=True)
        return np.where((grid == 0) & rows & cols, 6, grid).astype(np.uint8)

    rng = np.random.default_rng(1)
    grids = []
    for _ in range(4):
        g = np.zeros((7, 8), dtype=np.uint8)
        g[rng.integers(7), 0] = 3
        g[0, rng.integers(1, 8)] = 4
        grids.append(g)
    rules = infer_local_rule(grids[:3], [crossings(g) for g in grids[:3]], grids[3:])
    assert rules and rules[0].startswith("rc:")
    assert grids_equal(apply_rule(grids[3], rules[0]), crossings(grids[3]))


def test_backed_off_rule_decides_each_cell_by_the_finest_agreeing_neighbourhood() -> None:
    train, outputs, test = halo_task(39)  # no single neighbourhood is consistent and covers the test
    rules = infer_local_rule(train, outputs, [test])
    assert rules and ";" in rules[0]
    for g, o in zip(train, outputs, strict=True):
        assert grids_equal(apply_rule(g, rules[0]), o)
    assert grids_equal(apply_rule(test, rules[0]), halo(test, 2, 1))
    # priced by the entries that change a colour, not by the keep entries that block coarser ones
    assert local_rule_bits(rules[0]) < rules[0].count(",") + 1


def test_no_rule_when_a_test_cell_is_decided_by_no_neighbourhood() -> None:
    a = np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=np.uint8)
    out = halo(a, 1, 4)
    out[1, 1] = 5  # the figure itself changes colour too
    unseen = np.zeros((3, 3), dtype=np.uint8)
    unseen[1, 1] = 7  # a figure of a colour no train pair shows: what it becomes is unknown
    assert infer_local_rule([a], [out], [unseen]) == []
    assert infer_local_rule([a], [out], [a]) != []
    assert infer_local_rule([a], [a], [a]) == []  # nothing changes: no rule


def bars(rng: np.random.Generator, colour: int, changed: int) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal bars of one colour at random offsets, one per even row; and the same grid with every
    other cell of each bar (the 2nd, 4th, ..., counted from the bar's own start) painted `changed`."""
    grid = np.zeros((8, 12), dtype=np.uint8)
    out = grid.copy()
    for r in range(0, 8, 2):
        start = int(rng.integers(0, 5))
        end = start + int(rng.integers(3, 8))
        grid[r, start:end] = out[r, start:end] = colour
        out[r, start + 1 : end : 2] = changed
    return grid, out


def test_a_place_rule_counts_from_each_object_and_ignores_its_colour() -> None:
    rng = np.random.default_rng(3)
    train, outputs = zip(*(bars(rng, c, 4) for c in (2, 3, 6)), strict=True)
    test, expected = bars(rng, 9, 4)  # a colour no train pair shows
    rules = infer_local_rules(train, outputs, [test])
    place = [rule for rule in rules if rule.startswith("o")]
    assert place == ["o12:1-0-1>4"]  # filled, any row, odd column offset in the object -> 4
    assert grids_equal(apply_rule(test, place[0]), expected)
    # counted from the grid's corner instead, the bars starting at odd columns would flip
    assert not grids_equal(apply_rule(test, "p12:9-0-1>4"), expected)
    assert local_rule_bits(place[0]) == 4.0  # one change, and the chosen period


def test_a_place_rule_is_refused_when_one_place_would_need_two_colours() -> None:
    rng = np.random.default_rng(4)
    pairs = [bars(rng, 2, 4), bars(rng, 2, 5), bars(rng, 2, 4)]  # the same place becomes 4, then 5
    train, outputs = [g for g, _ in pairs], [o for _, o in pairs]
    assert not [rule for rule in infer_local_rules(train, outputs) if rule.startswith("o")]
    assert infer_place_rule(train, train) == []  # nothing changes

"""Cells recoloured by a few named features (rays, objects, enclosure, mirrors), the rule read off
the train pairs by the fewest features that fit and cover the test inputs."""

from __future__ import annotations

import numpy as np
import pytest

from dsl.grid import grids_equal
from dsl.primitives import recolor_by_features
from dsl.primitives.feature_rules import OUTSIDE, cell_features, parse_feature_rule
from dsl.program import format_program
from dsl.registry import Refused
from synth.inference_features import feature_rule_bits, infer_feature_rules
from synth.search import SearchConfig, search
from synth.solver import Budget


def G(text: str) -> np.ndarray:
    return np.array([[int(ch) for ch in row] for row in text.split("/")], dtype=np.uint8)


def test_features_see_along_rows_and_columns_and_across_objects() -> None:
    f = cell_features(G("10010/00000/22200/20200/22200"))
    assert f["rl"][0].tolist() == [OUTSIDE, 1, 1, 1, 1]  # first colour strictly to the left
    assert f["bh"][0].tolist() == [OUTSIDE, 1, 1, OUTSIDE, OUTSIDE]  # between two 1s
    assert f["enc"][3].tolist() == [0, 1, 0, 0, 0]  # the ring's hole only
    assert f["osz"][2, 0] == 8 and f["osz"][0, 0] == 1 and f["osz"][1, 0] == 0
    assert f["orank"][2, 0] == 0 and f["orank"][0, 0] == 1 and f["orank"][1, 1] == 3  # largest, smallest, bg
    assert f["mlr"][0].tolist() == [0, 1, 0, 0, 1] and f["mt"][0, 1] == 0  # mirrored cells' colours
    assert f["n4"][3, 1] == 4 and f["same8"][2, 1] == 4


def test_rule_paints_listed_combinations_and_keeps_the_rest() -> None:
    grid = G("1000/0000/0300")
    out = recolor_by_features(grid, "c.rl:0-1>4,1-10>=")  # background right of a 1 becomes 4
    assert grids_equal(out, G("1444/0000/0300"))
    assert grid[0, 1] == 0  # the input is untouched
    for bad in ("c.rl", "c.rl:0>4", "c.rl:0-1>x", "c.zz:0-1>4", "c:0>12"):
        with pytest.raises(Refused):
            recolor_by_features(grid, bad)


def smear(rng: np.random.Generator, colours: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """One pixel per row; cells right of a 2 become 4, other pixels stay alone."""
    grid = np.zeros((6, 7), dtype=np.uint8)
    for row in range(6):
        grid[row, rng.integers(0, 6)] = rng.choice(colours)
    out = grid.copy()
    for row, col in zip(*np.nonzero(grid == 2), strict=True):
        out[row, col + 1 :] = 4
    return grid, out


def covers(rule: str, grids: list[np.ndarray]) -> bool:
    names, table = parse_feature_rule(rule)
    for grid in grids:
        features = cell_features(grid)
        keys = set(zip(*(features[n].ravel().tolist() for n in names), strict=True))
        if not keys <= set(table):
            return False
    return True


def test_the_fewest_features_that_fit_are_found_and_generalise() -> None:
    rng = np.random.default_rng(1)
    pairs = [smear(rng, (2, 3)) for _ in range(3)]
    test, expected = smear(rng, (2, 3))
    rules = infer_feature_rules([a for a, _ in pairs], [b for _, b in pairs], [test])
    assert rules and rules[0].startswith("rl:")  # the first colour to the left decides alone
    assert grids_equal(recolor_by_features(test, rules[0]), expected)
    assert feature_rule_bits(rules[0]) == 2.0 + rules[0].count(">4")


def test_no_rule_leaves_a_test_cell_on_an_unseen_combination() -> None:
    rng = np.random.default_rng(2)
    pairs = [smear(rng, (2, 3)) for _ in range(3)]
    test, _ = smear(rng, (5,))  # a colour the pairs never show
    rules = infer_feature_rules([a for a, _ in pairs], [b for _, b in pairs], [test])
    assert all(covers(rule, [test]) for rule in rules)
    assert not any(rule.startswith("rl:") for rule in rules)


def test_nothing_is_inferred_when_nothing_changes_or_shapes_differ() -> None:
    grid = G("120/030")
    assert infer_feature_rules([grid], [grid.copy()]) == []
    assert infer_feature_rules([grid], [G("12/03")]) == []


def test_search_finds_a_feature_rule_on_the_task_inputs() -> None:
    rng = np.random.default_rng(3)
    pairs = [smear(rng, (2, 3)) for _ in range(4)]
    inputs, outputs = [a for a, _ in pairs[:3]], [b for _, b in pairs[:3]]
    result = search(inputs, outputs, [pairs[3][0]], Budget(seconds=20), config=SearchConfig(max_cost=3.0))
    assert result.programs and result.fits[0] == 3
    assert format_program(result.programs[0]).startswith("recolor_by_features(I, 'rl:")
    assert grids_equal(result.predictions[0][0], pairs[3][1])

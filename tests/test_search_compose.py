"""Composition of partial solutions: layered programs that fit where no single program does."""

from __future__ import annotations

import numpy as np

from dsl.interpreter import execute
from dsl.program import INPUT, Call, Const, Expr, format_program
from synth.search import SearchConfig, search
from synth.search_compose import LayerPool
from synth.solver import Budget


def corner_grid(rng: np.random.Generator) -> np.ndarray:
    """Colours 1-2 scattered in the top-left 3x3 of a 6x7 black grid, never empty."""
    grid = np.zeros((6, 7), dtype=np.uint8)
    grid[:3, :3] = rng.integers(1, 3, size=(3, 3)) * (rng.random((3, 3)) < 0.6)
    grid[0, 0] = grid[0, 0] or 1
    return grid


def two_reflections(grid: np.ndarray) -> np.ndarray:
    """The grid flipped up-down with its left-right flip painted over it."""
    ud, lr = grid[::-1], grid[:, ::-1]
    return np.where(lr != 0, lr, ud).astype(np.uint8)


def test_composition_fits_where_no_single_program_does() -> None:
    rng = np.random.default_rng(0)
    inputs = [corner_grid(rng) for _ in range(4)]
    outputs = [two_reflections(g) for g in inputs]
    config = SearchConfig(max_cost=2, primitives=("flip_lr", "flip_ud", "rotate_90"))
    result = search(inputs[:3], outputs[:3], inputs[3:], Budget(60), config=config)
    assert result.stats.compositions >= 1
    program = result.programs[0]
    assert format_program(program).startswith("overlay(")
    assert all(np.array_equal(execute(program, a), b) for a, b in zip(inputs, outputs, strict=True))
    assert np.array_equal(result.predictions[0][0], outputs[3])


def test_no_composition_when_turned_off() -> None:
    rng = np.random.default_rng(0)
    inputs = [corner_grid(rng) for _ in range(4)]
    outputs = [two_reflections(g) for g in inputs]
    config = SearchConfig(max_cost=2, primitives=("flip_lr", "flip_ud", "rotate_90"), compose_layers=0)
    result = search(inputs[:3], outputs[:3], inputs[3:], Budget(60), config=config)
    assert result.stats.compositions == 0
    assert all(fit < 3 for fit in result.fits)


def test_top_layer_may_not_paint_a_wrong_cell() -> None:
    target = np.array([[1, 2], [0, 0]], dtype=np.uint8)
    pool = LayerPool([target], max_layers=10)
    wrong = np.array([[1, 3], [0, 0]], dtype=np.uint8)  # paints 3 where 2 belongs
    left = np.array([[1, 0], [0, 0]], dtype=np.uint8)
    right = np.array([[0, 2], [0, 0]], dtype=np.uint8)
    for key, grid in enumerate((wrong, left, right)):
        pool.offer(key, (grid, grid), grid_expr(key), cost=1.0)
    (comp,) = pool.compose(max_layers=2, costs={"overlay": 1.0}, limit=1)
    assert "shift(I, 0, 0)" not in format_program(comp.expr)  # the wrong layer is never used
    assert comp.cost == 3.0
    assert np.array_equal(comp.test_outputs[0], target)


def test_pool_keeps_only_output_shapes_and_the_cheaper_program() -> None:
    target = np.zeros((2, 2), dtype=np.uint8)
    pool = LayerPool([target], max_layers=1)
    pool.offer(0, (np.zeros((3, 3), dtype=np.uint8),), grid_expr(0), cost=1.0)
    assert len(pool) == 0
    pool.offer(1, (target,), grid_expr(1), cost=2.0)
    pool.offer(1, (target,), grid_expr(2), cost=1.0)
    pool.offer(2, (target + 1,), grid_expr(3), cost=1.5)  # full, and dearer: refused
    assert set(pool.layers) == {1}
    assert pool.layers[1].cost == 1.0
    pool.offer(3, (target + 1,), grid_expr(4), cost=0.5)  # cheaper: takes the place
    assert set(pool.layers) == {3}


def test_pool_holds_the_same_layers_whatever_the_offer_order() -> None:
    rng = np.random.default_rng(1)
    target = rng.integers(0, 3, size=(3, 3)).astype(np.uint8)
    grids = rng.integers(0, 3, size=(60, 3, 3)).astype(np.uint8)
    offers = [(k, grid, float(rng.integers(1, 3))) for k, grid in enumerate(grids)]
    held = []
    for order in (offers, offers[::-1], [offers[i] for i in rng.permutation(len(offers))]):
        pool = LayerPool([target], max_layers=10)
        for key, grid, cost in order:
            pool.offer(key, (grid, grid), grid_expr(key), cost)
        held.append(set(pool.layers))
    assert held[0] == held[1] == held[2]
    kept = [c for k, _, c in offers if k in held[0]]
    assert max(kept) <= min(c for k, _, c in offers if k not in held[0])  # the cheapest are kept


def test_equally_cheap_layers_are_kept_by_the_cells_they_get_right() -> None:
    target = np.array([[1, 2], [3, 4]], dtype=np.uint8)
    pool = LayerPool([target], max_layers=1)
    one_right = np.array([[1, 0], [0, 0]], dtype=np.uint8)
    three_right = np.array([[1, 2], [3, 0]], dtype=np.uint8)
    pool.offer(0, (one_right,), grid_expr(0), cost=1.0)
    pool.offer(1, (three_right,), grid_expr(1), cost=1.0)
    pool.offer(2, (one_right + 5,), grid_expr(2), cost=1.0)
    assert set(pool.layers) == {1}


def grid_expr(i: int) -> Expr:
    """A distinct program text per layer, so a test can tell which layers a composition used."""
    return Call("shift", (INPUT, Const(i), Const(0)))

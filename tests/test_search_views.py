"""Views of a task: the colour-ranked and per-input background views find what the task's own colours
hide, and their programs stay faithful programs of the original task."""

from __future__ import annotations

import numpy as np
import pytest

from dsl.grid import grids_equal
from dsl.interpreter import execute
from dsl.program import parse_program
from dsl.task import Pair, Task
from synth.search import SearchSolver
from synth.search_background import own_backgrounds
from synth.search_views import IDENTITY, OWN_BACKGROUND, RANKED, background_view, changes_task
from synth.solver import Budget, hide_test_outputs


def block_and_marker(big: int, small: int) -> np.ndarray:
    """A 3x3 block of one colour and a 2-cell marker of another on a 6x6 black grid."""
    grid = np.zeros((6, 6), dtype=np.uint8)
    grid[1:4, 1:4] = big
    grid[5, 4:6] = small
    return grid


def swapped(grid: np.ndarray, a: int, b: int) -> np.ndarray:
    return np.where(grid == a, b, np.where(grid == b, a, grid)).astype(np.uint8)


def role_swap_task() -> Task:
    """The block takes the marker's colour and the marker the block's; the colours change from pair to
    pair and clash (no one colour map fits every pair), the roles do not."""
    colours = [(1, 2), (2, 3), (3, 1), (4, 1)]
    pairs = [Pair(block_and_marker(a, b), swapped(block_and_marker(a, b), a, b)) for a, b in colours]
    return Task("roles", tuple(pairs[:3]), (pairs[3],))


def test_ranked_view_solves_colours_by_role_with_a_faithful_program() -> None:
    task = role_swap_task()
    solver = SearchSolver(primitives=("map_colors", "flip_lr"), ranked_share=0.35)
    solution = solver.solve(hide_test_outputs(task), Budget(seconds=60, nodes=50))
    assert solution.stats["views"] == ["identity", "ranked"]
    program = parse_program(solution.programs[0])
    assert solution.programs[0] == "unrank_colors(map_colors(rank_colors(I), '0213456789'), I)"
    truth = task.test[0].output
    assert grids_equal(solution.attempts[0][0], truth)
    for pair in task.train + task.test:
        assert grids_equal(execute(program, pair.input), pair.output)


def test_without_the_ranked_view_the_role_swap_is_not_found() -> None:
    task = role_swap_task()
    solver = SearchSolver(primitives=("map_colors", "flip_lr"), ranked_share=0, objects_share=0)
    solution = solver.solve(hide_test_outputs(task), Budget(seconds=60, nodes=50))
    assert solution.stats["views"] == ["identity"]  # (the block and marker recoloured: objects stage off)
    assert not any(grids_equal(g, task.test[0].output) for g in solution.attempts[0])


def test_ranked_view_is_skipped_when_the_task_view_finds_a_program() -> None:
    task = role_swap_task()
    flipped = Task("flip", tuple(Pair(p.input, p.input[:, ::-1].copy()) for p in task.train), task.test)
    solver = SearchSolver(primitives=("flip_lr",), ranked_share=0.35)
    solution = solver.solve(hide_test_outputs(flipped), Budget(60, nodes=50))
    assert solution.stats["views"] == ["identity"]
    assert solution.programs[0] == "flip_lr(I)"


def test_views_encode_and_decode_in_the_frame_of_the_pair_input() -> None:
    grid = block_and_marker(7, 3)
    for view in (RANKED, background_view([np.full((2, 2), 5, dtype=np.uint8)])):
        out = swapped(grid, 7, 3)
        assert grids_equal(view.decode(grid, view.encode(grid, out)), out)
    assert grids_equal(RANKED.encode(grid, grid), block_and_marker(1, 2))
    assert changes_task(RANKED, [grid], [grid])
    assert not changes_task(RANKED, [block_and_marker(1, 2)], [block_and_marker(1, 2)])
    assert not changes_task(IDENTITY, [grid], [grid])


def falling_task() -> Task:
    """Cells of colours 1 and 2 fall to the bottom; every pair is drawn on its own non-zero background."""
    pairs = []
    for background in (5, 6, 7, 8):
        grid = np.full((4, 3), background, dtype=np.uint8)
        grid[0, 0], grid[1, 2] = 1, 2
        fallen = np.full((4, 3), background, dtype=np.uint8)
        fallen[3, 0], fallen[3, 2] = 1, 2
        pairs.append(Pair(grid, fallen))
    return Task("falling", tuple(pairs[:3]), (pairs[3],))


def test_own_background_view_searches_each_pair_on_its_own_background() -> None:
    task = falling_task()
    solution = SearchSolver(primitives=("gravity_down",)).solve(hide_test_outputs(task), Budget(60, nodes=50))
    assert solution.stats["views"] == ["identity", "own background"]
    assert grids_equal(solution.attempts[0][0], task.test[0].output)
    program = parse_program(solution.programs[0])
    for pair in task.train + task.test:
        assert grids_equal(execute(program, pair.input), pair.output)
    off = SearchSolver(primitives=("gravity_down",), own_background_share=0)
    unsolved = off.solve(hide_test_outputs(task), Budget(60, nodes=50))
    assert unsolved.stats["views"] == ["identity"]
    assert not any(grids_equal(g, task.test[0].output) for g in unsolved.attempts[0])


def test_own_backgrounds_needs_different_non_zero_backgrounds() -> None:
    inputs = [p.input for p in falling_task().train]
    assert own_backgrounds(inputs) == [5, 6, 7]
    assert own_backgrounds([inputs[0], inputs[0]]) is None  # one shared colour: the background view's case
    assert own_backgrounds([inputs[0], np.zeros((2, 2), dtype=np.uint8)]) is None
    grid = inputs[1]
    assert grids_equal(OWN_BACKGROUND.decode(grid, OWN_BACKGROUND.encode(grid, grid)), grid)
    assert OWN_BACKGROUND.encode(grid, grid)[0, 1] == 0


def test_later_views_together_leave_the_task_view_half_the_budget() -> None:
    """Own backgrounds and a canvas (each output the input tiled 2x2) at once: 0.4 + 0.35 shrink to 0.5."""
    inputs = [p.input for p in falling_task().train]
    outputs = [np.tile(g, (2, 2)) for g in inputs]
    test = [falling_task().test[0].input]
    views, shares = SearchSolver()._views(inputs, outputs, test)
    assert [v.name for v in views][:2] == ["identity", "own background"]
    assert views[2].name.startswith("canvas")
    assert sum(shares) == pytest.approx(0.5)
    assert shares[1] / shares[2] == pytest.approx(0.4 / 0.35)
    alone = SearchSolver(canvas_share=0)._views(inputs, outputs, test)[1]
    assert alone == [0.0, 0.4]

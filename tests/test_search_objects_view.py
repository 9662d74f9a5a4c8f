"""The per-object decomposition: a task that changes each object in place is searched as the task of
one object's box, and refused when it does not decompose."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from dsl.grid import Grid, grids_equal
from dsl.interpreter import execute
from dsl.object_boxes import object_boxes
from dsl.program import INPUT, format_program, parse_program
from dsl.task import Pair, Task
from synth.search import SearchConfig, SearchSolver, search
from synth.search_objects_view import Cut, decompose, per_object_program, search_per_object
from synth.search_views import RANKED, background_view
from synth.solver import Budget, hide_test_outputs

HOOK = np.array([[1, 1], [1, 0], [1, 0]], dtype=np.uint8)
STEP = np.array([[2, 0, 0], [2, 2, 2]], dtype=np.uint8)


def scene(*placed: tuple[np.ndarray, int, int], flip: bool = False) -> Grid:
    """A 9x9 black grid with each shape at its (row, column), flipped left-right in place if asked."""
    grid = np.zeros((9, 9), dtype=np.uint8)
    for shape, r, c in placed:
        grid[r : r + shape.shape[0], c : c + shape.shape[1]] = shape[:, ::-1] if flip else shape
    return grid


PLACES = [
    ((HOOK, 0, 0), (STEP, 5, 4)),
    ((STEP, 1, 5), (HOOK, 6, 1), (HOOK, 1, 1)),
    ((HOOK, 4, 6), (STEP, 0, 0)),
    ((STEP, 6, 0), (HOOK, 1, 5), (STEP, 2, 1)),
]


def flip_each_task() -> Task:
    """Every object is mirrored left-right inside its own box; mirroring the whole grid moves them."""
    pairs = [Pair(scene(*p), scene(*p, flip=True)) for p in PLACES]
    return Task("flip-each", tuple(pairs[:3]), (pairs[3],))


def parts(task: Task) -> tuple[list[Grid], list[Grid], list[Grid]]:
    return [p.input for p in task.train], [p.output for p in task.train], [p.input for p in task.test]


def test_objects_flipped_in_place_decompose_into_one_pair_per_distinct_box() -> None:
    sub = decompose(*parts(flip_each_task()))
    assert sub is not None
    assert sub.cut == Cut(8, 0)
    assert sorted(a.shape for a in sub.train_in) == [(2, 3), (3, 2)]  # repeated boxes count once
    assert len(sub.test_in) == 3 and len(sub.test_boxes[0]) == 3


def test_solver_answers_with_the_per_object_program() -> None:
    task = flip_each_task()
    solver = SearchSolver(primitives=("flip_lr",))
    solution = solver.solve(hide_test_outputs(task), Budget(60, nodes=50))
    assert solution.stats["views"] == ["identity", "objects"]
    assert solution.programs[0] == "per_object(I, flip_lr(X), 8, 0)"
    assert solution.stats["train_fit"] == len(task.train)
    assert grids_equal(solution.attempts[0][0], task.test[0].output)
    assert_program_gives_its_answer(solution.programs[0], task, solution.attempts[0][0])


def assert_program_gives_its_answer(text: str, task: Task, answer: Grid) -> None:
    """The printed program parses, prints back the same, fits the train pairs and gives the answer."""
    program = parse_program(text)
    assert format_program(program) == text
    assert all(grids_equal(execute(program, p.input), p.output) for p in task.train)
    assert grids_equal(execute(program, task.test[0].input), answer)


def test_a_view_wraps_the_source_of_per_object_and_leaves_its_body_alone() -> None:
    program = per_object_program(parse_program("flip_lr(I)"), Cut(8, 1))
    ranked = RANKED.wrap(program)
    assert format_program(ranked) == "unrank_colors(per_object(rank_colors(I), flip_lr(X), 8, 1), I)"
    task = flip_each_task()

    def grey(pairs: tuple[Pair, ...]) -> tuple[Pair, ...]:
        return tuple(
            Pair(np.where(p.input == 0, 5, p.input), np.where(p.output == 0, 5, p.output)) for p in pairs
        )

    on_grey = Task("flip-each-on-grey", grey(task.train), grey(task.test))
    view = background_view([p.input for p in on_grey.train])
    wrapped = format_program(view.wrap(per_object_program(parse_program("flip_lr(I)"), Cut(8, 0))))
    assert wrapped == "swap_colors(per_object(swap_colors(I, 0, 5), flip_lr(X), 8, 0), 0, 5)"
    solution = SearchSolver(primitives=("flip_lr",)).solve(hide_test_outputs(on_grey), Budget(60, nodes=50))
    assert solution.programs[0] == wrapped
    assert grids_equal(solution.attempts[0][0], on_grey.test[0].output)
    assert_program_gives_its_answer(solution.programs[0], on_grey, solution.attempts[0][0])


def test_without_the_objects_stage_the_flips_are_not_found() -> None:
    task = flip_each_task()
    solution = SearchSolver(primitives=("flip_lr",), objects_share=0).solve(
        hide_test_outputs(task), Budget(60, nodes=50)
    )
    assert solution.stats["views"] == ["identity"]
    assert not any(grids_equal(g, task.test[0].output) for g in solution.attempts[0])


def test_objects_stage_is_skipped_when_the_task_itself_is_solved() -> None:
    task = flip_each_task()
    whole = Task("flip", tuple(Pair(p.input, p.input[:, ::-1].copy()) for p in task.train), task.test)
    solution = SearchSolver(primitives=("flip_lr",)).solve(hide_test_outputs(whole), Budget(60, nodes=50))
    assert solution.stats["views"] == ["identity"]
    assert solution.programs[0] == "flip_lr(I)"


def swapped_pairs_task() -> Task:
    """Each 2x2 object swaps its two colours; the colours clash from object to object (no one colour
    map fits every box), their roles (three cells and one) do not."""
    colours = [[(1, 2), (3, 1)], [(2, 3), (4, 1)], [(1, 4), (2, 1)]]

    def grid(pairs: list[tuple[int, int]], swap: bool) -> Grid:
        g = np.zeros((6, 6), dtype=np.uint8)
        for (a, b), (r, c) in zip(pairs, [(0, 0), (3, 3)], strict=False):
            a, b = (b, a) if swap else (a, b)
            g[r : r + 2, c : c + 2] = [[a, a], [a, b]]
        return g

    pairs = [Pair(grid(p, False), grid(p, True)) for p in colours]
    return Task("swap-each", tuple(pairs[:2]), (pairs[2],))


def test_objects_stage_falls_back_to_colours_ranked_in_each_box() -> None:
    task = swapped_pairs_task()
    solution = SearchSolver(primitives=("map_colors",)).solve(hide_test_outputs(task), Budget(60, nodes=50))
    assert solution.stats["views"] == ["identity", "objects", "objects+ranked"]
    assert solution.programs[0].startswith("per_object(I, unrank_colors(map_colors(rank_colors(X), ")
    assert grids_equal(solution.attempts[0][0], task.test[0].output)
    assert_program_gives_its_answer(solution.programs[0], task, solution.attempts[0][0])


def test_a_change_outside_every_box_is_refused() -> None:
    train_in, train_out, test_in = parts(flip_each_task())
    train_out[1] = train_out[1].copy()
    train_out[1][8, 8] = 3  # far from every object
    assert decompose(train_in, train_out, test_in) is None


def test_overlapping_boxes_are_refused_and_nested_objects_join_their_container() -> None:
    crossing = np.zeros((5, 5), dtype=np.uint8)
    crossing[0, 0:3] = crossing[0:3, 0] = 1  # an L in the box (0..2, 0..2)
    crossing[2, 2:5] = crossing[2:5, 4] = 2  # apart, but the boxes share (2, 2)
    assert object_boxes(crossing, 8, 0) is None
    train_in, train_out, test_in = parts(flip_each_task())
    assert decompose([crossing, *train_in], [crossing, *train_out], test_in) is None
    cup = np.zeros((5, 5), dtype=np.uint8)
    cup[1:4, 1] = cup[1:4, 3] = cup[3, 1:4] = 1
    cup[1, 2] = 2  # a dot inside the cup, not touching it
    assert object_boxes(cup, 4, 0) == [(slice(1, 4), slice(1, 4))]


def test_a_program_whose_reassembly_misses_a_train_output_is_dropped() -> None:
    train_in, train_out, test_in = parts(flip_each_task())
    sub = decompose(train_in, train_out, test_in)
    assert sub is not None

    def claims_identity_fits(a: list[Grid], b: list[Grid], t: list[Grid]) -> object:
        found = search(a, a, t, Budget(60, nodes=5))  # the identity, scored as if it fit every pair
        return replace(found, programs=[INPUT], predictions=[list(t)], fits=[len(a)], composed=[False])

    result = search_per_object(train_in, train_out, test_in, sub, claims_identity_fits)  # type: ignore[arg-type]
    assert result.programs == []
    flips = SearchConfig(primitives=("flip_lr",))
    honest = search_per_object(
        train_in, train_out, test_in, sub, lambda a, b, t: search(a, b, t, Budget(60, nodes=50), config=flips)
    )
    assert [format_program(p) for p in honest.programs[:1]] == ["per_object(I, flip_lr(X), 8, 0)"]

"""Canvases (`embed`): where the train outputs hold their inputs, and the search continuing an input's
pattern over a larger canvas, in the task view and in the canvas view."""

from __future__ import annotations

import numpy as np

from dsl.grid import grids_equal
from dsl.interpreter import execute
from dsl.primitives import embed, extend_diagonal_down_right
from dsl.program import format_program, parse_program
from dsl.task import Pair, Task
from synth.inference_canvas import infer_placement
from synth.search import SearchConfig, SearchSolver, search
from synth.solver import Budget, hide_test_outputs


def G(text: str) -> np.ndarray:
    return np.array([[int(ch) for ch in row] for row in text.split("/")], dtype=np.uint8)


def rays(grid: np.ndarray) -> np.ndarray:
    """The task's rule: the grid on a canvas twice its size, every cell continued down-right."""
    return extend_diagonal_down_right(embed(grid, "2h,2w@tl:0,0"))


INPUTS = [G("610/300/000"), G("040/080/200"), G("006/130/000"), G("2003/0000")]


def test_inference_finds_the_place_and_sizes_the_test_canvas_from_the_test_input() -> None:
    outputs = [rays(g) for g in INPUTS[:3]]
    test = G("50/07")  # a 2x2 test input: twice its own size, never the train outputs' 6x6
    placements = infer_placement(INPUTS[:3], outputs, [test])
    assert placements[0] == "2h,2w@tl:0,0"
    assert embed(test, placements[0]).shape == (4, 4)
    # with inputs of two sizes only the ratio explains every output (the rays hold the input one step
    # down-right too: a second place)
    mixed = infer_placement(INPUTS[1:], [rays(g) for g in INPUTS[1:]], [test])
    assert mixed == ["2h,2w@tl:0,0", "2h,2w@tl:1,1"]


def test_inference_reads_a_recoloured_input_and_a_side_from_the_other_side() -> None:
    inputs = [G("1100"), G("100000")]
    outputs = [G("2200/0000"), G("200000/000000/000000")]  # half the width high, the 1s become 2s
    assert infer_placement(inputs, outputs, [G("11100000")]) == ["1/2w,w@tl:0,0"]


def test_inference_sizes_a_canvas_by_the_number_of_colours() -> None:
    inputs = [G("102"), G("300"), G("456")]  # 3 wide: 2, 1 and 3 colours
    outputs = [embed(g, "wc,wc@bl:0,0") for g in inputs]  # 6x6, 3x3, 9x9
    placements = infer_placement(inputs, outputs, [G("780")])
    assert placements[0] == "3hc,wc@bl:0,0"  # one row high: the rows are 3 times the colours too
    assert embed(G("780"), placements[0]).shape == (6, 6)


def test_inference_refuses_outputs_that_do_not_hold_their_input_at_one_place() -> None:
    a, b = G("12/30"), G("45/60")
    assert infer_placement([a, b], [embed(a, "2h,2w@tl:0,0"), embed(b, "2h,2w@br:0,0")]) == []
    assert infer_placement([a], [np.zeros((4, 4), dtype=np.uint8)]) == []  # not held anywhere
    assert infer_placement([a], [a]) == []  # no larger canvas
    assert infer_placement([a], [a[:1]]) == []  # a smaller output
    assert infer_placement([G("00/00")], [np.zeros((4, 4), dtype=np.uint8)]) == []  # nothing to place
    # outputs sized by no rule (4 rows from 2, then 7 from 2)
    assert infer_placement([a, b], [embed(a, "4,w@tl:0,0"), embed(b, "7,w@tl:0,0")]) == []


def test_search_continues_the_pattern_on_a_canvas() -> None:
    train, test = INPUTS[:3], INPUTS[3]
    config = SearchConfig(max_cost=3, primitives=("embed", "extend_diagonal_down_right", "extend_diagonals"))
    result = search(train, [rays(g) for g in train], [test], Budget(30), config=config)
    assert result.found()
    assert format_program(result.programs[0]) == "extend_diagonal_down_right(embed(I, '2h,2w@tl:0,0'))"
    assert grids_equal(result.predictions[0][0], rays(test))


def test_canvas_view_searches_the_inputs_set_on_their_canvas() -> None:
    pairs = tuple(Pair(g, rays(g)) for g in INPUTS)
    task = hide_test_outputs(Task("rays", pairs[:3], pairs[3:]))
    names = ("extend_diagonal_down_right",)  # no `embed`: only the view can set the canvas
    solution = SearchSolver(primitives=names).solve(task, Budget(60, nodes=50))
    assert solution.stats["views"] == ["identity", "canvas 2h,2w@tl:0,0"]
    assert grids_equal(solution.attempts[0][0], pairs[3].output)
    program = parse_program(solution.programs[0])
    for pair in pairs:
        assert grids_equal(execute(program, pair.input), pair.output)
    off = SearchSolver(primitives=names, canvas_share=0).solve(task, Budget(60, nodes=50))
    assert off.stats["views"] == ["identity"]

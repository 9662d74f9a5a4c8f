"""The interpreter: evaluation, and ExecutionError for refusals, crashes and non-grid results."""

from __future__ import annotations

import numpy as np
import pytest

from dsl.interpreter import ExecutionError, evaluate, execute, run_on_pairs
from dsl.program import INPUT, Call, Const, ProgramError, parse_program

GRID = np.array([[1, 2, 0], [0, 3, 4]], dtype=np.uint8)


def test_execute_composes_calls_inside_out():
    out = execute(parse_program("flip_lr(rotate_90(I))"), GRID)
    assert out.tolist() == [[1, 0], [2, 3], [0, 4]]  # flip_lr after rotate_90 is transpose


def test_execute_passes_computed_arguments():
    grid = np.array([[5, 5, 1], [0, 5, 0]], dtype=np.uint8)
    out = execute(parse_program("replace_color(I, most_common_color(I), 7)"), grid)
    assert out.tolist() == [[7, 7, 1], [0, 7, 0]]
    assert evaluate(parse_program("most_common_color(I)", check_types=False), grid) == 5


def test_execute_of_input_returns_the_input():
    assert execute(INPUT, GRID) is GRID


def test_execute_does_not_touch_the_input():
    before = GRID.copy()
    execute(parse_program("draw_border(gravity_down(I), 9)"), GRID)
    assert (before == GRID).all()


def test_refusal_becomes_execution_error():
    with pytest.raises(ExecutionError, match="downscale: Refused"):
        execute(parse_program("downscale(I, 2)"), GRID)
    with pytest.raises(ExecutionError, match="upscale: Refused: result would be 62x93"):
        execute(parse_program("upscale(I, 31)"), GRID)


def test_refusal_deep_inside_propagates_with_the_inner_name():
    with pytest.raises(ExecutionError, match="^crop_to_content: "):
        execute(parse_program("rotate_90(crop_to_content(keep_color(I, 9)))"), GRID)


def test_primitive_crash_becomes_execution_error():
    # an unchecked tree with a string where a count belongs makes the primitive raise TypeError
    program = Call("tile", (INPUT, Const("x"), Const(2)))
    with pytest.raises(ExecutionError, match="^tile: TypeError"):
        execute(program, GRID)


def test_non_grid_result_is_an_execution_error():
    with pytest.raises(ExecutionError, match="returned int, not a valid grid"):
        execute(Call("most_common_color", (INPUT,)), GRID)
    with pytest.raises(ExecutionError, match="returned int, not a valid grid"):
        execute(Const(3), GRID)


def test_unknown_primitive_is_a_program_error():
    with pytest.raises(ProgramError, match="unknown primitive 'spin'"):
        execute(Call("spin", (INPUT,)), GRID)


def test_run_on_pairs_gives_none_for_failures():
    program = parse_program("downscale(I, 2)")
    ok = np.array([[1, 1], [1, 1]], dtype=np.uint8)
    results = run_on_pairs(program, [ok, GRID])
    assert results[0].tolist() == [[1]] and results[1] is None


def test_per_object_runs_its_body_on_each_object_box() -> None:
    grid = np.array([[1, 2, 0, 0, 0], [0, 0, 0, 0, 3], [0, 0, 0, 4, 0]], dtype=np.uint8)
    flipped = execute(parse_program("per_object(I, flip_lr(X), 8, 0)"), grid)
    assert flipped.tolist() == [[2, 1, 0, 0, 0], [0, 0, 0, 3, 0], [0, 0, 0, 0, 4]]
    by_four = execute(parse_program("per_object(I, flip_lr(X), 4, 0)"), grid)  # the 3 and 4 apart
    assert by_four.tolist() == [[2, 1, 0, 0, 0], [0, 0, 0, 0, 3], [0, 0, 0, 4, 0]]
    assert grid[0].tolist() == [1, 2, 0, 0, 0]  # the input is untouched


def test_per_object_refusals_are_execution_errors() -> None:
    crossing = np.zeros((5, 5), dtype=np.uint8)
    crossing[0, 0:3] = crossing[0:3, 0] = 1
    crossing[2, 2:5] = crossing[2:5, 4] = 2  # apart, but the boxes share (2, 2)
    with pytest.raises(ExecutionError, match="^per_object: Refused: object boxes overlap"):
        execute(parse_program("per_object(I, flip_lr(X), 8, 0)"), crossing)
    with pytest.raises(ExecutionError, match="^per_object: Refused: f does not return"):
        execute(parse_program("per_object(I, rotate_90(X), 8, 0)"), GRID)  # a 1x2 box turned 2x1
    with pytest.raises(ExecutionError, match="^downscale: "):  # a refusal inside the body keeps its name
        execute(parse_program("per_object(I, downscale(X, 2), 8, 0)"), GRID)

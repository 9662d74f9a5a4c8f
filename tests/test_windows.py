"""Windows at a fixed place from a corner (`crop_window`): their inference, and the search using it."""

from __future__ import annotations

import numpy as np

from dsl.primitives.crop import crop_window
from dsl.program import format_program
from synth.inference import infer_window
from synth.search import SearchConfig, search
from synth.solver import Budget


def numbered(h: int, w: int) -> np.ndarray:
    return (np.arange(h * w).reshape(h, w) % 9 + 1).astype(np.uint8)


def test_inference_finds_the_corner_shared_by_inputs_of_different_sizes() -> None:
    inputs = [numbered(5, 6), numbered(7, 4), (numbered(6, 9) * 2 % 9 + 1).astype(np.uint8)]
    outputs = [g[-2:, -3:] for g in inputs]  # the bottom-right 2x3, wherever that is
    test = numbered(8, 8)
    windows = infer_window(inputs, outputs, [test])
    assert windows[0] == "br:0,0,2,3"
    assert np.array_equal(crop_window(test, windows[0]), test[-2:, -3:])


def test_inference_refuses_outputs_of_different_shapes_or_not_in_the_input() -> None:
    a, b = numbered(5, 6), numbered(6, 6)
    assert infer_window([a, b], [a[:2, :2], b[:3, :3]]) == []
    assert infer_window([a, b], [a[:2, :2], np.zeros((2, 2), dtype=np.uint8)]) == []
    assert infer_window([a], [a]) == []  # the whole grid is no window
    assert infer_window([a, b], [a[:1, :1], b[:1, :1]]) == []  # nor is a single cell


def test_search_answers_with_a_window() -> None:
    rng = np.random.default_rng(3)
    grids = [
        rng.integers(0, 10, size=shape).astype(np.uint8) for shape in ((7, 9), (9, 9), (8, 11), (10, 10))
    ]
    outputs = [g[:3, -3:] for g in grids]  # the top-right 3x3
    config = SearchConfig(max_cost=2)
    result = search(grids[:3], outputs[:3], grids[3:], Budget(30), config=config)
    assert result.found()
    assert format_program(result.programs[0]).startswith("crop_window(I, 'tr:0,0,3,3')")
    assert np.array_equal(result.predictions[0][0], outputs[3])

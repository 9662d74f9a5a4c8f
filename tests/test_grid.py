"""Grids: validation at the edges, keys and exact-match comparison."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dsl.grid import GridError, grid_key, grid_to_list, grids_equal, is_valid_grid, make_grid

grid_lists = st.integers(1, 30).flatmap(
    lambda w: st.lists(st.lists(st.integers(0, 9), min_size=w, max_size=w), min_size=1, max_size=30)
)


@given(grid_lists)
def test_make_grid_round_trips_lists(rows: list[list[int]]) -> None:
    grid = make_grid(rows)
    assert grid.dtype == np.uint8 and grid.flags.c_contiguous
    assert grid.shape == (len(rows), len(rows[0]))
    assert grid_to_list(grid) == rows
    assert is_valid_grid(grid)


@pytest.mark.parametrize(
    ("rows", "fault"),
    [
        ([], "grid is empty"),
        ("[[1]]", "grid is a string"),
        (None, "grid is null"),
        ({"a": 1}, "grid is an object"),
        ([[]], "row 0 is empty"),
        ([[1], 2], "row 1 is a number"),
        ([[1, 2], [3]], "not rectangular"),
        ([[0] * 31], "31 columns, over 30"),
        ([[0]] * 31, "31 rows, over 30"),
        ([[1, 10]], "cell (0, 1) is 10, outside 0-9"),
        ([[-1]], "outside 0-9"),
        ([[1.0]], "not an integer"),
        ([["3"]], "not an integer"),
        ([[True]], "not an integer"),
    ],
)
def test_make_grid_names_the_fault(rows: object, fault: str) -> None:
    with pytest.raises(GridError) as info:
        make_grid(rows)
    assert fault in str(info.value)


@pytest.mark.parametrize(
    ("array", "fault"),
    [
        (np.zeros((0, 3), dtype=np.uint8), "non-empty 2-D"),
        (np.zeros(4, dtype=np.uint8), "non-empty 2-D"),
        (np.zeros((31, 2), dtype=np.uint8), "over 30"),
        (np.full((2, 2), 0.5), "not integers"),
        (np.full((2, 2), 10), "outside 0-9"),
        (np.full((2, 2), -1), "outside 0-9"),
    ],
)
def test_make_grid_checks_arrays(array: np.ndarray, fault: str) -> None:
    with pytest.raises(GridError) as info:
        make_grid(array)
    assert fault in str(info.value)


def test_make_grid_converts_int64_arrays() -> None:
    a = np.arange(6, dtype=np.int64).reshape(2, 3)[:, ::-1]  # not contiguous either
    grid = make_grid(a)
    assert grid.dtype == np.uint8 and grid.flags.c_contiguous
    assert grid_to_list(grid) == [[2, 1, 0], [5, 4, 3]]


def test_grid_key_tells_shapes_apart() -> None:
    cells = [1, 2, 3, 4]
    shapes = [(1, 4), (2, 2), (4, 1)]
    keys = {grid_key(np.array(cells, dtype=np.uint8).reshape(s)) for s in shapes}
    assert len(keys) == 3
    assert grid_key(make_grid([[1, 2], [3, 4]])) == grid_key(np.array([[1, 2], [3, 4]], dtype=np.uint8))


def test_grids_equal_checks_shape_first() -> None:
    a = make_grid([[1, 2, 3, 4]])
    assert grids_equal(a, make_grid([[1, 2, 3, 4]]))
    assert not grids_equal(a, a.reshape(2, 2))
    assert not grids_equal(a, make_grid([[1, 2, 3, 5]]))


def test_is_valid_grid_refuses_non_grids() -> None:
    assert not is_valid_grid([[1]])
    assert not is_valid_grid(np.zeros((0, 0), dtype=np.uint8))
    assert not is_valid_grid(np.zeros((2, 2, 2), dtype=np.uint8))
    assert not is_valid_grid(np.full((2, 2), 10, dtype=np.uint8))
    assert not is_valid_grid(np.zeros((2, 2), dtype=float))
    assert is_valid_grid(np.zeros((30, 30), dtype=np.uint8))

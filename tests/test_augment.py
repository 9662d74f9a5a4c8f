"""Augmentations are reversible, deterministic, and keep a task solvable by the conjugated program."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dsl.augment import (
    D8,
    N_PERMUTATIONS,
    Augmentation,
    all_symmetries,
    apply,
    apply_grid,
    color_permutations,
    conjugate_program,
    inverse_permutation,
    invert,
    random_augmentation,
)
from dsl.generators import SIMPLE_TRANSFORMS, make_simple_task
from dsl.interpreter import execute
from dsl.program import format_program, parse_program
from dsl.registry import PRIMITIVES
from dsl.task import Pair, Task

grids = st.tuples(st.integers(1, 12), st.integers(1, 12)).flatmap(
    lambda shape: arrays(np.uint8, shape, elements=st.integers(0, 9))
)
augmentations = st.builds(
    Augmentation,
    symmetry=st.integers(0, len(D8) - 1),
    colors=st.none() | st.integers(0, N_PERMUTATIONS - 1),
    keep_zero=st.booleans(),
)


@st.composite
def tasks(draw: st.DrawFn) -> Task:
    n_train = draw(st.integers(1, 4))
    pairs = [Pair(draw(grids), draw(grids)) for _ in range(n_train + 1)]
    return Task(id="t", train=tuple(pairs[:n_train]), test=(pairs[-1],))


def test_d8_inverses_undo_each_symmetry() -> None:
    grid = np.arange(12, dtype=np.uint8).reshape(3, 4) % 10
    assert len({s.name for s in D8}) == 8
    for sym in D8:
        assert np.array_equal(D8[sym.inverse].fn(sym.fn(grid)), grid), sym.name
    # the eight images of an asymmetric grid are all different: D8 really is the whole group
    assert len({s.fn(grid).tobytes() + bytes(s.fn(grid).shape) for s in D8}) == 8


def test_color_permutations_are_a_fixed_table_of_permutations() -> None:
    table = color_permutations()
    assert table.shape == (N_PERMUTATIONS, 10)
    assert np.array_equal(table, color_permutations())  # regenerated identically
    assert np.array_equal(table[0], np.arange(10))
    assert all(sorted(row) == list(range(10)) for row in table)
    assert (table[:, 0] == 0).all()
    assert len({row.tobytes() for row in table}) > 990  # nearly all distinct
    every_colour = color_permutations(keep_zero=False)
    assert (every_colour[1:, 0] != 0).any()
    assert not np.array_equal(color_permutations(seed=1), table)


def test_inverse_permutation() -> None:
    for perm in color_permutations(50, keep_zero=False):
        assert np.array_equal(inverse_permutation(perm)[perm], np.arange(10))


@settings(max_examples=200, deadline=None)
@given(grids, augmentations)
def test_invert_undoes_apply_grid(grid: np.ndarray, aug: Augmentation) -> None:
    out = apply_grid(grid, aug)
    assert out.dtype == np.uint8 and out.flags.c_contiguous
    assert np.array_equal(invert(out, aug), grid)


@settings(max_examples=100, deadline=None)
@given(tasks(), augmentations, st.randoms(use_true_random=False))
def test_invert_undoes_apply_on_tasks(task: Task, aug: Augmentation, rnd) -> None:
    order = list(range(len(task.train)))
    rnd.shuffle(order)
    aug = Augmentation(aug.symmetry, aug.colors, tuple(order), aug.keep_zero)
    augmented = apply(task, aug)
    assert len(augmented.train) == len(task.train)
    for new_position, old_position in enumerate(order):
        new, old = augmented.train[new_position], task.train[old_position]
        assert np.array_equal(invert(new.input, aug), old.input)
        assert np.array_equal(invert(new.output, aug), old.output)
    assert np.array_equal(invert(augmented.test[0].output, aug), task.test[0].output)
    assert augmented.meta["augmentation"] == aug.describe()


def test_colour_permutation_changes_colours_and_keeps_black() -> None:
    grid = np.array([[0, 1, 2], [3, 4, 5]], dtype=np.uint8)
    aug = Augmentation(symmetry=0, colors=7)
    out = apply_grid(grid, aug)
    assert out[0, 0] == 0
    assert sorted(out.ravel()) == sorted(color_permutations()[7][grid].ravel())
    assert not np.array_equal(out, grid)


def test_bad_augmentations_are_refused() -> None:
    with pytest.raises(ValueError, match="symmetry"):
        Augmentation(symmetry=8)
    with pytest.raises(ValueError, match="colour"):
        Augmentation(colors=N_PERMUTATIONS)
    task = make_simple_task("flip_lr", np.random.default_rng(0))
    with pytest.raises(ValueError, match="not a permutation"):
        apply(task, Augmentation(train_order=(0, 0, 1)))


def test_random_augmentation_is_seeded() -> None:
    a = random_augmentation(np.random.default_rng(5), 3)
    assert a == random_augmentation(np.random.default_rng(5), 3)
    assert sorted(a.train_order or ()) == [0, 1, 2]
    assert [x.symmetry for x in all_symmetries()] == list(range(8))


def _solves(program_text: str, task: Task) -> bool:
    program = parse_program(program_text)
    return all(np.array_equal(execute(program, p.input), p.output) for p in (*task.train, *task.test))


@pytest.mark.parametrize("transform", SIMPLE_TRANSFORMS)
def test_conjugated_program_solves_every_symmetry_view(transform: str) -> None:
    task = make_simple_task(transform, np.random.default_rng(11))
    program = parse_program(task.meta["program"])
    for aug in all_symmetries():
        view = apply(task, aug)
        conjugated = format_program(conjugate_program(program, aug))
        assert _solves(conjugated, view), (aug.describe(), conjugated)
    # the unconjugated program fails on some view, so the check above can fail; rotate_180 is the
    # centre of D8 (it commutes with every symmetry), so for it conjugation changes nothing
    assert (transform == "rotate_180") != (
        not all(_solves(format_program(program), apply(task, aug)) for aug in all_symmetries())
    )


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(SIMPLE_TRANSFORMS), augmentations, st.integers(0, 2**32 - 1))
def test_augmented_task_stays_solvable(transform: str, aug: Augmentation, seed: int) -> None:
    """A* P * A^-1 solves the augmented task, checked as functions (any program, any augmentation)."""
    task = make_simple_task(transform, np.random.default_rng(seed))
    program = parse_program(task.meta["program"])
    view = apply(task, aug)
    for pair in (*view.train, *view.test):
        assert np.array_equal(apply_grid(execute(program, invert(pair.input, aug)), aug), pair.output)


@pytest.mark.skipif("map_colors" not in PRIMITIVES, reason="map_colors is not registered yet")
@settings(max_examples=40, deadline=None)
@given(st.sampled_from(SIMPLE_TRANSFORMS), augmentations, st.integers(0, 2**32 - 1))
def test_conjugated_program_with_colours_solves_the_view(
    transform: str, aug: Augmentation, seed: int
) -> None:
    task = make_simple_task(transform, np.random.default_rng(seed))
    conjugated = conjugate_program(parse_program(task.meta["program"]), aug)
    assert _solves(format_program(conjugated), apply(task, aug))

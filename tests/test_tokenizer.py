"""The task tokenizer: grids survive encoding, positions are 2-D, only the answer is labelled."""

from __future__ import annotations

import numpy as np
import pytest

from dsl.generators.simple import translate
from dsl.primitives import rotate_90, transpose
from dsl.task import Pair, Task
from model.tokenizer import (
    HEADER,
    IGNORE,
    MASK,
    PAD,
    ROLE_TEST_INPUT,
    ROLE_TRAIN_INPUT,
    ROLE_TRAIN_OUTPUT,
    SHIFTS,
    TEST_PAIR,
    EncodingError,
    TokenizerConfig,
    collate,
    decode_grids,
    encode_task,
    query_cells,
    shift_scores,
)


def random_grid(rng: np.random.Generator, h: int, w: int, density: float = 0.3) -> np.ndarray:
    return ((rng.random((h, w)) < density) * rng.integers(1, 10, (h, w))).astype(np.uint8)


def rotation_task(rng: np.random.Generator, n_train: int = 3) -> Task:
    pairs = []
    for _ in range(n_train + 1):
        g = random_grid(rng, int(rng.integers(2, 8)), int(rng.integers(2, 8)))
        pairs.append(Pair(g, rotate_90(g)))
    return Task("rot", tuple(pairs[:-1]), (pairs[-1],))


def cells_of(enc, role: int, pair: int) -> set[tuple[int, int, int, int, int]]:
    """(row, col, rows_end, cols_end, colour) of the cell tokens of one grid."""
    sel = (enc.roles == role) & (enc.pairs == pair) & (enc.tokens < MASK)
    return set(
        zip(enc.rows[sel], enc.cols[sel], enc.rows_end[sel], enc.cols_end[sel], enc.tokens[sel], strict=True)
    )


@pytest.mark.parametrize("sparse", [True, False])
def test_every_known_grid_round_trips(sparse: bool) -> None:
    task = rotation_task(np.random.default_rng(0))
    enc = encode_task(task, config=TokenizerConfig(sparse=sparse))
    decoded = {(pair, role): grid for pair, role, grid in decode_grids(enc)}
    for i, p in enumerate(task.train):
        np.testing.assert_array_equal(decoded[(i, ROLE_TRAIN_INPUT)], p.input)
        np.testing.assert_array_equal(decoded[(i, ROLE_TRAIN_OUTPUT)], p.output)
    np.testing.assert_array_equal(decoded[(TEST_PAIR, ROLE_TEST_INPUT)], task.test[0].input)
    assert len(decoded) == 2 * len(task.train) + 1


def test_sparse_mode_drops_background_cells_of_train_grids_only() -> None:
    task = rotation_task(np.random.default_rng(1))
    dense = encode_task(task, config=TokenizerConfig(sparse=False))
    sparse = encode_task(task, config=TokenizerConfig(sparse=True))
    n_zero = sum(int((g == 0).sum()) for p in task.train for g in (p.input, p.output))
    assert len(dense) - len(sparse) == n_zero
    train = (sparse.roles == ROLE_TRAIN_INPUT) | (sparse.roles == ROLE_TRAIN_OUTPUT)
    assert not ((sparse.tokens == 0) & train).any()
    assert ((sparse.tokens == 0) & (sparse.roles == ROLE_TEST_INPUT)).sum() == (task.test[0].input == 0).sum()


def test_rotated_grid_tokens_carry_swapped_rows_and_columns() -> None:
    rng = np.random.default_rng(2)
    g = random_grid(rng, 4, 7, density=0.5)
    task = Task("t", (Pair(g, rotate_90(g)), Pair(g, transpose(g))), (Pair(g, g),))
    enc = encode_task(task)
    source = cells_of(enc, ROLE_TRAIN_INPUT, 0)
    # clockwise quarter turn: input cell (r, c) lands at (c, h-1-r), i.e. row <- col, col <- rows_end
    rotated = {(c, re, ce, r, v) for r, c, re, ce, v in source}
    assert cells_of(enc, ROLE_TRAIN_OUTPUT, 0) == rotated
    transposed = {(c, r, ce, re, v) for r, c, re, ce, v in source}
    assert cells_of(enc, ROLE_TRAIN_OUTPUT, 1) == transposed


def test_header_holds_the_grid_size() -> None:
    g = np.zeros((3, 5), dtype=np.uint8)
    g[1, 2] = 4
    enc = encode_task(Task("t", (Pair(g, g),), (Pair(g, g),)))
    headers = np.nonzero(enc.tokens == HEADER)[0]
    assert len(headers) == 3
    assert set(zip(enc.rows[headers], enc.cols[headers], strict=True)) == {(2, 4)}


def test_only_query_cells_are_labelled_with_the_test_output() -> None:
    task = rotation_task(np.random.default_rng(3))
    enc = encode_task(task)
    q = query_cells(enc)
    out = task.test[0].output
    assert len(q) == out.size
    assert (enc.tokens[q] == MASK).all()
    np.testing.assert_array_equal(enc.labels[q], out.reshape(-1))
    others = np.ones(len(enc), dtype=bool)
    others[q] = False
    assert (enc.labels[others] == IGNORE).all()
    assert enc.shape_target == (out.shape[0] - 1, out.shape[1] - 1)


def test_query_follows_the_requested_shape_and_is_absent_without_one() -> None:
    task = rotation_task(np.random.default_rng(4))
    no_query = encode_task(task, with_targets=False)
    assert len(query_cells(no_query)) == 0
    assert no_query.shape_target == (IGNORE, IGNORE)
    guessed = encode_task(task, query_shape=(2, 9), with_targets=False)
    q = query_cells(guessed)
    assert len(q) == 18 and guessed.rows[q].max() == 1 and guessed.cols[q].max() == 8
    assert (guessed.labels == IGNORE).all()


def test_too_long_tasks_are_refused() -> None:
    task = rotation_task(np.random.default_rng(5))
    with pytest.raises(EncodingError, match="tokens, over 10"):
        encode_task(task, config=TokenizerConfig(max_tokens=10))


def test_collate_pads_with_pad_tokens_and_ignored_labels() -> None:
    rng = np.random.default_rng(6)
    a, b = encode_task(rotation_task(rng)), encode_task(rotation_task(rng))
    batch = collate([a, b])
    T = max(len(a), len(b))
    assert batch["tokens"].shape == (2, T)
    short = 0 if len(a) < len(b) else 1
    n = min(len(a), len(b))
    assert (batch["tokens"][short, n:] == PAD).all()
    assert (batch["labels"][short, n:] == IGNORE).all()


@pytest.mark.parametrize("offset", [(1, -2), (0, 0), (-3, 3)])
def test_shift_scores_single_out_the_demonstrated_offset(offset: tuple[int, int]) -> None:
    rng = np.random.default_rng(7)
    grids = [random_grid(rng, 6, 8) for _ in range(3)]
    task = Task("t", tuple(Pair(g, translate(g, *offset)) for g in grids[:2]), (Pair(grids[2], None),))
    scores = shift_scores(task)
    assert scores.shape == (len(SHIFTS),)
    assert scores[SHIFTS.index(offset)] == 1.0
    assert np.delete(scores, SHIFTS.index(offset)).max() < 0.95
    np.testing.assert_array_equal(encode_task(task, with_targets=False).shift_scores, scores)


def test_shift_scores_are_zero_when_no_train_pair_keeps_its_shape() -> None:
    g = random_grid(np.random.default_rng(8), 3, 5)
    task = Task("t", (Pair(g, rotate_90(g)),), (Pair(g, None),))
    assert not shift_scores(task).any()
    other = rotation_task(np.random.default_rng(9))
    batch = collate([encode_task(task, with_targets=False), encode_task(other)])
    assert batch["shift_scores"].shape == (2, len(SHIFTS)) and not batch["shift_scores"][0].any()

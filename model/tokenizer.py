"""Tasks as token sequences that keep their 2-D structure.

Every grid cell is one token carrying its colour and five position features: row, column, the
distances to the bottom and right edges, the pair it belongs to and its role (train input, train
output, test input, query). A rotation or transpose then only swaps which features match (the
model's first-layer frame heads read a cell's source under each symmetry from them); with 1-D
positions over row-major text the model would have to learn modular arithmetic on flat indices
(the rotate_90 failure).

A grid opens with a header token whose row/column features hold its height and width. In sparse
mode (the default) background cells (colour 0) of the train grids are left out: the header fixes the
size, so nothing is lost. The test input stays dense so every answer cell has a source cell to copy
from. A simple-ARC task costs about 200 tokens instead of 450.

The answer is asked for non-autoregressively: a SHAPE token (the output's height and width; its
row/column features hold the test input's size, the usual starting point) and one QUERY token per
output cell, all predicted in one forward pass. Context tokens never attend to query tokens, so the
shape can be predicted first from the context alone and the query laid out at that shape in a
second pass.

Each encoding also carries one task-level feature, `shift_scores`: for every offset (dy, dx) within
SHIFT_RADIUS, the fraction of train-output cells equal to the input cell at (r - dy, c - dx) (0
off the grid), averaged over the same-shape train pairs. The model's shift head reads its query's
source at the best-scoring offset; without it no output cell can find its input cell at a
task-specific offset (the translate failure).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dsl.grid import N_COLORS, Grid
from dsl.task import Task
from model.pair_features import N_PAIR_FEATURES, pair_features

MASK = N_COLORS  # a cell whose colour is to be predicted
HEADER = N_COLORS + 1  # opens a grid; its row/col features are the grid's height-1/width-1
SHAPE = N_COLORS + 2  # asks for the output shape
PAD = N_COLORS + 3
VOCAB_SIZE = N_COLORS + 4

ROLE_TRAIN_INPUT, ROLE_TRAIN_OUTPUT, ROLE_TEST_INPUT, ROLE_QUERY, ROLE_SHAPE = range(5)
N_ROLES = 5
MAX_PAIRS = 8  # train pairs beyond this share the last pair slot
TEST_PAIR = MAX_PAIRS  # the pair slot of the test input and its query
IGNORE = -1  # label of positions outside the loss
SHIFT_RADIUS = 3  # offsets -3..3 on each axis, as in the DSL's Offset domain
_AXIS = range(-SHIFT_RADIUS, SHIFT_RADIUS + 1)
SHIFTS: tuple[tuple[int, int], ...] = tuple((dy, dx) for dy in _AXIS for dx in _AXIS)  # row-major

FEATURES = ("tokens", "rows", "cols", "rows_end", "cols_end", "flat", "pairs", "roles")


@dataclass(frozen=True)
class TokenizerConfig:
    sparse: bool = True  # leave out background cells of the train grids
    max_tokens: int = 1024  # longer tasks are refused (EncodingError)
    # the prior's encoding: the first `max_pairs` train pairs with their `pair_features`, and no test
    # input cells (the prior needs none; they are the longest grid of a sparse encoding)
    max_pairs: int = MAX_PAIRS
    test_input: bool = True
    pair_features: bool = False


class EncodingError(ValueError):
    """A task that does not fit the model (too many tokens)."""


@dataclass
class Encoded:
    """One task as parallel int arrays (one entry per token) plus its targets."""

    tokens: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    rows_end: np.ndarray
    cols_end: np.ndarray
    flat: np.ndarray  # row-major index within the grid: the 1-D position of the ablation
    pairs: np.ndarray
    roles: np.ndarray
    labels: np.ndarray  # colour to predict, IGNORE elsewhere
    shape_target: tuple[int, int] = (IGNORE, IGNORE)  # (height-1, width-1) of the test output
    query_shape: tuple[int, int] | None = None  # the shape the query was laid out at
    prior_target: np.ndarray | None = None  # multi-hot over primitive names
    shift_scores: np.ndarray | None = None  # (len(SHIFTS),) see `shift_scores`
    pair_features: np.ndarray | None = None  # (train pairs kept, N_PAIR_FEATURES), model.pair_features

    def __len__(self) -> int:
        return len(self.tokens)


class _Builder:
    def __init__(self) -> None:
        self.columns: dict[str, list[np.ndarray]] = {k: [] for k in (*FEATURES, "labels")}

    def add(
        self,
        tokens: np.ndarray,
        rows: np.ndarray,
        cols: np.ndarray,
        h: int,
        w: int,
        pair: int,
        role: int,
        labels: np.ndarray,
    ) -> None:
        n = len(tokens)
        self.columns["tokens"].append(tokens)
        self.columns["rows"].append(rows)
        self.columns["cols"].append(cols)
        self.columns["rows_end"].append(np.maximum(h - 1 - rows, 0))
        self.columns["cols_end"].append(np.maximum(w - 1 - cols, 0))
        self.columns["flat"].append(np.where(tokens == HEADER, 0, rows * w + cols + 1))
        self.columns["pairs"].append(np.full(n, pair))
        self.columns["roles"].append(np.full(n, role))
        self.columns["labels"].append(labels)

    def arrays(self) -> dict[str, np.ndarray]:
        return {k: np.concatenate(v).astype(np.int64) for k, v in self.columns.items()}


def _add_grid(b: _Builder, grid: Grid, pair: int, role: int, sparse: bool) -> None:
    h, w = grid.shape
    b.add(np.array([HEADER]), np.array([h - 1]), np.array([w - 1]), h, w, pair, role, np.array([IGNORE]))
    rr, cc = np.nonzero(grid) if sparse else np.indices((h, w)).reshape(2, -1)
    colours = grid[rr, cc].astype(np.int64)
    b.add(colours, rr, cc, h, w, pair, role, np.full(len(colours), IGNORE))


def shift_scores(task: Task) -> np.ndarray:
    """For each offset in SHIFTS, the fraction of output cells that equal the input shifted by it,
    averaged over the train pairs whose input and output have the same shape (zeros if none do)."""
    scores = np.zeros(len(SHIFTS), dtype=np.float32)
    same_shape = [p for p in task.train if p.output is not None and p.input.shape == p.output.shape]
    r = SHIFT_RADIUS
    for pair in same_shape:
        h, w = pair.input.shape
        padded = np.pad(pair.input, r)  # padded[r - dy + y, r - dx + x] = input[y - dy, x - dx]
        for k, (dy, dx) in enumerate(SHIFTS):
            scores[k] += np.mean(padded[r - dy : r - dy + h, r - dx : r - dx + w] == pair.output)
    return scores / max(1, len(same_shape))


def encode_task(
    task: Task,
    test_index: int = 0,
    config: TokenizerConfig = TokenizerConfig(),
    query_shape: tuple[int, int] | None = None,
    with_targets: bool = True,
) -> Encoded:
    """Encode the train pairs, one test input, the SHAPE token and the query.

    The query is laid out at `query_shape`, else at the known test output's shape; with neither,
    there is no query (the shape pass). Only query cells are labelled.
    """
    b = _Builder()
    train = task.train[: config.max_pairs]
    for i, pair in enumerate(train):
        slot = min(i, MAX_PAIRS - 1)
        _add_grid(b, pair.input, slot, ROLE_TRAIN_INPUT, config.sparse)
        _add_grid(b, pair.output, slot, ROLE_TRAIN_OUTPUT, config.sparse)
    test = task.test[test_index]
    if config.test_input:
        _add_grid(b, test.input, TEST_PAIR, ROLE_TEST_INPUT, sparse=False)  # every answer cell has a source
    h_in, w_in = test.input.shape  # the shape question starts from the test input's size
    b.add(
        np.array([SHAPE]),
        np.array([h_in - 1]),
        np.array([w_in - 1]),
        h_in,
        w_in,
        TEST_PAIR,
        ROLE_SHAPE,
        np.array([IGNORE]),
    )
    target = test.output if with_targets else None
    shape = query_shape if query_shape is not None else (target.shape if target is not None else None)
    if shape is not None:
        h, w = shape
        rr, cc = np.indices((h, w)).reshape(2, -1)
        if target is not None and target.shape == (h, w):
            labels = target[rr, cc].astype(np.int64)
        else:
            labels = np.full(h * w, IGNORE)
        b.add(np.full(h * w, MASK), rr, cc, h, w, TEST_PAIR, ROLE_QUERY, labels)
    arrays = b.arrays()
    if len(arrays["tokens"]) > config.max_tokens:
        raise EncodingError(
            f"task {task.id!r} needs {len(arrays['tokens'])} tokens, over {config.max_tokens}"
        )
    shape_target = (target.shape[0] - 1, target.shape[1] - 1) if target is not None else (IGNORE, IGNORE)
    return Encoded(
        **arrays,
        shape_target=shape_target,
        query_shape=tuple(shape) if shape else None,
        shift_scores=shift_scores(task),
        pair_features=np.stack([pair_features(p) for p in train]) if config.pair_features else None,
    )


def decode_grids(enc: Encoded) -> list[tuple[int, int, Grid]]:
    """The known grids of an encoding as (pair, role, grid), rebuilt from headers and cell tokens."""
    grids: list[tuple[int, int, Grid]] = []
    for i in np.nonzero(enc.tokens == HEADER)[0]:
        h, w = int(enc.rows[i]) + 1, int(enc.cols[i]) + 1
        grid = np.zeros((h, w), dtype=np.uint8)
        j = i + 1
        while (
            j < len(enc)
            and enc.tokens[j] < N_COLORS
            and enc.roles[j] == enc.roles[i]
            and enc.pairs[j] == enc.pairs[i]
        ):
            grid[enc.rows[j], enc.cols[j]] = enc.tokens[j]
            j += 1
        grids.append((int(enc.pairs[i]), int(enc.roles[i]), grid))
    return grids


def query_cells(enc: Encoded) -> np.ndarray:
    """Indices of the query tokens, in row-major order of the output grid."""
    return np.nonzero(enc.roles == ROLE_QUERY)[0]


def shape_index(enc: Encoded) -> int:
    return int(np.nonzero(enc.tokens == SHAPE)[0][0])


def collate(batch: list[Encoded], n_prior: int = 0) -> dict[str, np.ndarray]:
    """Pad a list of encodings into (B, T) arrays; padding gets PAD tokens and IGNORE labels."""
    T = max(len(e) for e in batch)
    out: dict[str, np.ndarray] = {}
    for name in (*FEATURES, "labels"):
        fill = PAD if name == "tokens" else (IGNORE if name == "labels" else 0)
        arr = np.full((len(batch), T), fill, dtype=np.int64)
        for i, e in enumerate(batch):
            arr[i, : len(e)] = getattr(e, name)
        out[name] = arr
    out["shape_target"] = np.array([e.shape_target for e in batch], dtype=np.int64)
    out["shape_index"] = np.array([shape_index(e) for e in batch], dtype=np.int64)
    out["shift_scores"] = np.stack(
        [e.shift_scores if e.shift_scores is not None else np.zeros(len(SHIFTS), np.float32) for e in batch]
    )
    if any(e.pair_features is not None for e in batch):
        out["pair_features"] = np.zeros((len(batch), MAX_PAIRS, N_PAIR_FEATURES), dtype=np.float32)
        out["pair_mask"] = np.zeros((len(batch), MAX_PAIRS), dtype=bool)
        for i, e in enumerate(batch):
            n = min(MAX_PAIRS, len(e.pair_features)) if e.pair_features is not None else 0
            out["pair_features"][i, :n] = e.pair_features[:n]
            out["pair_mask"][i, :n] = True
    if n_prior:
        prior = np.full((len(batch), n_prior), IGNORE, dtype=np.float32)
        for i, e in enumerate(batch):
            if e.prior_target is not None:
                prior[i] = e.prior_target
        out["prior_target"] = prior
    return out

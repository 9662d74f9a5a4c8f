"""The model: output shapes, which positions the loss sees, and what attends to what."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dsl.augment import D8
from dsl.generators.simple import translate
from dsl.grid import MAX_SIDE, grids_equal
from dsl.primitives import flip_lr
from dsl.task import Pair, Task
from model.predict import predict_grids, to_tensors
from model.tokenizer import HEADER, IGNORE, N_COLORS, ROLE_TEST_INPUT, collate, encode_task, query_cells
from model.transformer import FRAMES, GridTransformer, ModelConfig, cosine_lr, frame_bias, preset

FRAME_NAMES = (
    "identity",
    "rotate_90",
    "rotate_180",
    "rotate_270",
    "flip_lr",
    "flip_ud",
    "transpose",
    "anti_transpose",
)

TINY = ModelConfig(d_model=32, n_layer=2, n_head=2, d_ff=64, primitives=("flip_lr", "rotate_90", "transpose"))


def flip_task(seed: int, side: int = 4) -> Task:
    rng = np.random.default_rng(seed)
    pairs = []
    for _ in range(3):
        g = ((rng.random((side, side + 1)) < 0.4) * int(rng.integers(1, 10))).astype(np.uint8)
        pairs.append(Pair(g, flip_lr(g)))
    return Task(f"flip{seed}", tuple(pairs[:2]), (pairs[2],))


@pytest.fixture
def model() -> GridTransformer:
    torch.manual_seed(0)
    return GridTransformer(TINY).eval()


def test_forward_shapes(model: GridTransformer) -> None:
    encs = [encode_task(flip_task(0)), encode_task(flip_task(1, side=6))]
    logits, loss = model(to_tensors(collate(encs), "cpu"))
    T = max(len(e) for e in encs)
    assert logits["cells"].shape == (2, T, N_COLORS)
    assert logits["shape"].shape == (2, 2, MAX_SIDE)
    assert logits["prior"].shape == (2, len(TINY.primitives))
    assert loss is not None and loss.ndim == 0


def test_loss_covers_exactly_the_labelled_positions(model: GridTransformer) -> None:
    enc = encode_task(flip_task(2))
    b = to_tensors(collate([enc]), "cpu")
    b.pop("shape_target")
    logits, loss = model(b)
    labels = b["labels"][0]
    scored = labels != IGNORE
    assert int(scored.sum()) == flip_task(2).test[0].output.size
    expected = F.cross_entropy(logits["cells"][0][scored], labels[scored])
    assert torch.allclose(loss, expected)


def test_padding_does_not_change_a_task_s_outputs(model: GridTransformer) -> None:
    short, long = encode_task(flip_task(3)), encode_task(flip_task(4, side=8))
    alone, _ = model(to_tensors(collate([short]), "cpu"))
    padded, _ = model(to_tensors(collate([short, long]), "cpu"))
    n = len(short)
    assert torch.allclose(alone["cells"][0], padded["cells"][0, :n], atol=1e-5)
    assert torch.allclose(alone["shape"][0], padded["shape"][0], atol=1e-5)


def test_context_and_shape_never_see_the_query(model: GridTransformer) -> None:
    task = flip_task(5)
    without = encode_task(task, with_targets=False)
    with_query = encode_task(task, query_shape=(7, 3), with_targets=False)
    a, _ = model(to_tensors(collate([without]), "cpu"))
    b, _ = model(to_tensors(collate([with_query]), "cpu"))
    n = len(without)
    assert torch.allclose(a["shape"], b["shape"], atol=1e-5)
    assert torch.allclose(a["cells"][0], b["cells"][0, :n], atol=1e-5)


def test_prior_loss_ignores_tasks_without_a_program(model: GridTransformer) -> None:
    enc = encode_task(flip_task(6))
    enc.prior_target = np.array([1, 0, 0], dtype=np.float32)
    other = encode_task(flip_task(7))  # no program: a row of IGNORE
    b = to_tensors(collate([enc, other], n_prior=3), "cpu")
    b.pop("labels"), b.pop("shape_target")
    logits, loss = model(b)
    expected = F.binary_cross_entropy_with_logits(logits["prior"][0], torch.tensor([1.0, 0.0, 0.0]))
    assert torch.allclose(loss, expected)


def test_one_dimensional_positions_for_the_ablation() -> None:
    model = GridTransformer(preset("nano", pos2d=False, d_model=32, n_head=2, n_layer=1, d_ff=64))
    assert not hasattr(model, "row_end") and hasattr(model, "flat")
    logits, loss = model(to_tensors(collate([encode_task(flip_task(8))]), "cpu"))
    assert loss is not None and torch.isfinite(loss)


def test_predict_grids_returns_a_grid_of_the_predicted_shape(model: GridTransformer) -> None:
    hidden = Task("t", flip_task(9).train, (Pair(flip_task(9).test[0].input, None),))
    [pred] = predict_grids(model, [hidden])
    assert pred is not None and pred.grid.dtype == np.uint8
    assert 1 <= pred.grid.shape[0] <= MAX_SIDE and pred.logprob < 0


def test_presets_and_their_sizes() -> None:
    assert 0.5e6 < GridTransformer(preset("nano")).n_params() < 1.5e6
    assert GridTransformer(preset("small")).n_params() > 3e6
    with pytest.raises(ValueError, match="unknown preset"):
        preset("huge")


def test_learning_rate_warms_up_then_decays() -> None:
    lrs = [cosine_lr(s, 100, 1e-3, 10) for s in range(100)]
    assert lrs[0] < lrs[9] == pytest.approx(1e-3)
    assert lrs[-1] < lrs[50] < lrs[10] and lrs[-1] >= 1e-4


@pytest.mark.parametrize("frame", range(len(FRAMES)))
def test_each_frame_head_points_at_the_source_cell_of_its_symmetry(frame: int) -> None:
    rng = np.random.default_rng(frame)
    grids = [rng.integers(0, 10, (3, 5)).astype(np.uint8) for _ in range(3)]
    sym = D8[frame]
    assert sym.name == FRAME_NAMES[frame]
    task = Task("t", tuple(Pair(g, sym.fn(g)) for g in grids[:2]), (Pair(grids[2], sym.fn(grids[2])),))
    enc = encode_task(task)
    bias = frame_bias(to_tensors(collate([enc]), "cpu"), n_head=len(FRAMES))[0, frame]
    q = query_cells(enc)
    source = bias[q].argmax(dim=-1).numpy()
    assert (enc.roles[source] == ROLE_TEST_INPUT).all()
    np.testing.assert_array_equal(enc.tokens[source], task.test[0].output.reshape(-1))


@pytest.mark.parametrize("offset", [(2, -1), (0, 0), (-3, 3)])
def test_the_shift_head_points_at_the_source_cell_under_the_demonstrated_offset(
    offset: tuple[int, int],
) -> None:
    rng = np.random.default_rng(sum(offset) + 10)
    grids = [((rng.random((6, 7)) < 0.4) * rng.integers(1, 10, (6, 7))).astype(np.uint8) for _ in range(3)]
    task = Task(
        "t",
        tuple(Pair(g, translate(g, *offset)) for g in grids),
        (Pair(grids[2], translate(grids[2], *offset)),),
    )
    enc = encode_task(task)
    bias = frame_bias(to_tensors(collate([enc]), "cpu"), n_head=2, shift=True)[0, 0]
    source = bias[query_cells(enc)].argmax(dim=-1).numpy()
    assert (enc.roles[source] == ROLE_TEST_INPUT).all()
    read = np.where(enc.tokens[source] == HEADER, 0, enc.tokens[source])  # off the grid: the header
    np.testing.assert_array_equal(read, task.test[0].output.reshape(-1))
    if offset != (0, 0):
        assert (enc.tokens[source] == HEADER).any()


def test_configs_written_before_the_shift_head_load_without_it() -> None:
    old = {k: v for k, v in TINY.to_json().items() if k != "shift"}
    assert ModelConfig.from_json(old).shift is False
    assert ModelConfig.from_json(TINY.to_json()) == TINY and TINY.shift


def translate_task(seed: int) -> Task:
    rng = np.random.default_rng(seed)
    offset = (int(rng.integers(-2, 3)), int(rng.choice([-1, 1])))
    grids = [((rng.random((4, 5)) < 0.4) * int(rng.integers(1, 10))).astype(np.uint8) for _ in range(4)]
    pairs = tuple(Pair(g, translate(g, *offset)) for g in grids)
    return Task(f"shift{seed}", pairs[:3], pairs[3:])


def overfit_translate(shift: bool, steps: int = 80) -> int:
    """Train a tiny model on four translate tasks; how many of their test outputs it then predicts."""
    torch.manual_seed(0)
    model = GridTransformer(replace(TINY, shift=shift))
    opt = model.configure_optimizer(3e-3)
    tasks = [translate_task(seed) for seed in range(4)]
    b = to_tensors(collate([encode_task(t) for t in tasks]), "cpu")
    for _ in range(steps):
        _, loss = model(b)
        opt.zero_grad()
        loss.backward()
        opt.step()
    preds = predict_grids(model.eval(), tasks)
    return sum(
        p is not None and grids_equal(p.grid, t.test[0].output) for p, t in zip(preds, tasks, strict=True)
    )


def test_a_tiny_model_fits_translate_tasks_in_seconds_only_with_the_shift_head() -> None:
    assert overfit_translate(shift=True) == 4
    assert overfit_translate(shift=False) < 4

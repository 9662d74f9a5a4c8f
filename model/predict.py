"""Inference: predict a test output grid (and its log-probability) for a batch of tasks.

Two passes: the first reads the output shape at the SHAPE token from the context alone, the second
lays the query out at that shape and reads every cell at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from dsl.grid import Grid
from dsl.task import Task
from model.tokenizer import Encoded, EncodingError, TokenizerConfig, collate, encode_task, query_cells
from model.transformer import GridTransformer


@dataclass(frozen=True)
class Prediction:
    grid: Grid
    logprob: float  # log-probability of the shape and of every cell's colour


def to_tensors(batch: dict[str, np.ndarray], device: str | torch.device) -> dict[str, torch.Tensor]:
    return {k: torch.as_tensor(v, device=device) for k, v in batch.items()}


def tokenizer_config(model: GridTransformer) -> TokenizerConfig:
    return TokenizerConfig(sparse=model.cfg.sparse, max_tokens=model.cfg.max_tokens)


@torch.no_grad()
def predict_shapes(model: GridTransformer, encs: list[Encoded]) -> list[tuple[tuple[int, int], float]]:
    """The most likely (height, width) of each test output and its log-probability."""
    device = next(model.parameters()).device
    logits, _ = model(to_tensors(collate(encs), device))
    logp = torch.log_softmax(logits["shape"], dim=-1)  # (B, 2, MAX_SIDE)
    best, idx = logp.max(dim=-1)
    return [((int(i[0]) + 1, int(i[1]) + 1), float(lp.sum())) for i, lp in zip(idx, best, strict=True)]


@torch.no_grad()
def predict_grids(model: GridTransformer, tasks: list[Task], test_index: int = 0) -> list[Prediction | None]:
    """One prediction per task (None for a task that does not fit the model)."""
    cfg = tokenizer_config(model)
    encs: list[Encoded | None] = []
    for task in tasks:
        try:
            encs.append(encode_task(task, test_index, cfg, with_targets=False))
        except EncodingError:
            encs.append(None)
    ok = [i for i, e in enumerate(encs) if e is not None]
    results: list[Prediction | None] = [None] * len(tasks)
    if not ok:
        return results
    shapes = predict_shapes(model, [encs[i] for i in ok])
    queried: list[tuple[int, Encoded, float]] = []
    for i, (shape, shape_lp) in zip(ok, shapes, strict=True):
        try:
            enc = encode_task(tasks[i], test_index, cfg, query_shape=shape, with_targets=False)
        except EncodingError:
            continue
        queried.append((i, enc, shape_lp))
    if not queried:
        return results
    device = next(model.parameters()).device
    logits, _ = model(to_tensors(collate([e for _, e, _ in queried]), device))
    logp = torch.log_softmax(logits["cells"], dim=-1)
    for row, (i, enc, shape_lp) in enumerate(queried):
        cells = torch.as_tensor(query_cells(enc), device=device)
        best, colours = logp[row, cells].max(dim=-1)
        grid = colours.cpu().numpy().astype(np.uint8).reshape(enc.query_shape)
        results[i] = Prediction(grid, shape_lp + float(best.sum()))
    return results

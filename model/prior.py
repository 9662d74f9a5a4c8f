"""Inference for the prior head: how likely each DSL primitive is to appear in a task's program.

The prior reads the train pairs (and, for the first, mean-pooled prior, the test input), never a test
output: `primitive_probabilities` encodes a copy of the task with every test output dropped, so what
the search is told cannot depend on an answer. Only context tokens feed the prior head (the query
never does), so no query is laid out. The model's config says how to encode (`ModelConfig.tokenizer`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import torch

from dsl.task import Pair, Task
from model.checkpoint import CheckpointError, load_checkpoint
from model.predict import to_tensors
from model.tokenizer import EncodingError, collate, encode_task
from model.transformer import GridTransformer


def load_prior(directory: str | Path) -> GridTransformer:
    """A prior checkpoint in eval mode; CheckpointError when it is missing or has no prior labels."""
    model, meta = load_checkpoint(directory)
    if meta.get("head") not in (None, "prior") or not model.cfg.primitives:
        raise CheckpointError(f"{directory}: holds a {meta.get('head', 'transduction')} model, not a prior")
    return model


def without_test_outputs(task: Task) -> Task:
    """The task as the prior may see it: train pairs and test inputs only."""
    return replace(task, test=tuple(Pair(p.input, None) for p in task.test))


@torch.no_grad()
def primitive_probabilities(model: GridTransformer, task: Task) -> dict[str, float] | None:
    """P(primitive appears in the program) for each of the checkpoint's labels, from one forward pass;
    None when the task does not fit the model's token budget."""
    try:
        enc = encode_task(without_test_outputs(task), 0, model.cfg.tokenizer(), with_targets=False)
    except EncodingError:
        return None
    device = next(model.parameters()).device
    logits, _ = model(to_tensors(collate([enc]), device))
    probs = torch.sigmoid(logits["prior"][0]).tolist()
    return dict(zip(model.cfg.primitives, probs, strict=True))

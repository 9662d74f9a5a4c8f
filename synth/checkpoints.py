"""Loading a model checkpoint for a solver: every failure becomes one line naming the solver."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from synth.solver import SolverUnavailable


def load_for_solver(
    checkpoint: str | Path, solver: str, head: str, threads: int | None = None
) -> tuple[Any, dict]:
    """(model in eval mode, meta) from a checkpoint folder holding a `head` model; torch is imported
    only here, so solvers that never load a model never pay for it."""
    path = Path(checkpoint)
    if not (path / "model.safetensors").is_file():
        raise SolverUnavailable(
            f"{solver}: no {head} checkpoint at {path} (train one with `synth train --head {head} "
            f"--out {path}` or pass -o {solver}.checkpoint=PATH)"
        )
    import torch

    from model.checkpoint import CheckpointError, load_checkpoint

    if threads:
        torch.set_num_threads(threads)
    try:
        model, meta = load_checkpoint(path)
    except CheckpointError as e:
        raise SolverUnavailable(f"{solver}: {e}") from None
    found = meta.get("head", "transduction")
    if found != head:
        raise SolverUnavailable(f"{solver}: {path} holds a {found} model, not a {head} model")
    return model, meta

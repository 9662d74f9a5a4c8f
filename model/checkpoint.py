"""Checkpoints that rebuild themselves: `model.safetensors` (weights) and `config.json` (the model
config plus free-form metadata) in one directory. Nothing is ever unpickled.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from model.transformer import GridTransformer, ModelConfig

WEIGHTS = "model.safetensors"
CONFIG = "config.json"
PICKLE_SUFFIXES = (".pt", ".pth", ".bin", ".pkl", ".pickle", ".ckpt")


class CheckpointError(ValueError):
    """A checkpoint that is missing, malformed or not in safetensors form; the message names the path."""


def save_checkpoint(
    model: GridTransformer, directory: str | Path, meta: dict[str, Any] | None = None
) -> Path:
    """Write weights and config to `directory` (created if needed); returns the directory."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().contiguous().cpu() for k, v in model.state_dict().items()}
    save_file(state, str(directory / WEIGHTS))
    payload = {"model": model.cfg.to_json(), "meta": meta or {}}
    (directory / CONFIG).write_text(json.dumps(payload, indent=2))
    return directory


def read_meta(directory: str | Path) -> dict[str, Any]:
    return _read_config(Path(directory)).get("meta", {})


def _read_config(directory: Path) -> dict[str, Any]:
    if directory.suffix in PICKLE_SUFFIXES or (directory.is_file() and directory.suffix != ".safetensors"):
        raise CheckpointError(f"{directory}: not a checkpoint directory (pickled weights are never loaded)")
    if not (directory / CONFIG).is_file():
        raise CheckpointError(f"{directory}: no {CONFIG} (expected a directory with {WEIGHTS} and {CONFIG})")
    try:
        return json.loads((directory / CONFIG).read_text())
    except (OSError, json.JSONDecodeError) as e:
        raise CheckpointError(f"{directory / CONFIG}: unreadable ({e})") from None


def load_checkpoint(directory: str | Path, device: str = "cpu") -> tuple[GridTransformer, dict[str, Any]]:
    """Rebuild the model from its config and load its weights; returns (model in eval mode, meta)."""
    directory = Path(directory)
    config = _read_config(directory)
    weights = directory / WEIGHTS
    if not weights.is_file():
        raise CheckpointError(f"{directory}: no {WEIGHTS}")
    try:
        state = load_file(str(weights), device=device)
    except (SafetensorError, OSError, ValueError) as e:
        raise CheckpointError(f"{weights}: not a safetensors file ({e})") from None
    model = GridTransformer(ModelConfig.from_json(config["model"]))
    try:
        model.load_state_dict(state)
    except RuntimeError as e:
        raise CheckpointError(
            f"{weights}: weights do not match the config ({str(e).splitlines()[0]})"
        ) from None
    return model.to(device).eval(), config.get("meta", {})


def save_tensors(tensors: dict[str, torch.Tensor], path: str | Path) -> None:
    save_file({k: v.detach().contiguous().cpu() for k, v in tensors.items()}, str(path))


def load_tensors(path: str | Path) -> dict[str, torch.Tensor]:
    try:
        return load_file(str(path))
    except (SafetensorError, OSError, ValueError) as e:
        raise CheckpointError(f"{path}: not a safetensors file ({e})") from None

"""Training examples: where tasks come from (generated on the fly or read from a folder), how they are
augmented, and how one becomes an encoded example with its targets.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dsl.augment import D8 as SYMMETRIES
from dsl.augment import N_PERMUTATIONS, Augmentation, apply, conjugate_program
from dsl.generators.simple import SIMPLE_TRANSFORMS, make_simple_task
from dsl.program import ProgramError, parse_program, primitives_used
from dsl.task import Task, TaskError, folder_category, load_task_file, task_files
from model.tokenizer import (
    MASK,
    ROLE_TRAIN_OUTPUT,
    Encoded,
    EncodingError,
    TokenizerConfig,
    encode_task,
)

HELD_OUT_SEED_OFFSET = 1_000_003  # held-out tasks come from a seed stream training never uses


@dataclass(frozen=True)
class ExampleConfig:
    """How a task becomes a training example."""

    mask_input_loss: bool = True  # score only the test output; else also masked train-output cells
    context_mask_rate: float = 0.25  # fraction of train-output cells hidden and scored when not masking
    color_aug: bool = False
    d8_aug: bool = False


def generated_tasks(transforms: Sequence[str], seed: int) -> Iterator[Task]:
    """An endless stream of simple-ARC tasks cycling through `transforms`."""
    unknown = [t for t in transforms if t not in SIMPLE_TRANSFORMS]
    if unknown:
        raise ValueError(f"unknown transform(s) {', '.join(unknown)} (known: {', '.join(SIMPLE_TRANSFORMS)})")
    rng = np.random.default_rng(seed)
    i = 0
    while True:
        transform = transforms[i % len(transforms)]
        yield make_simple_task(transform, rng, task_id=f"gen-{seed}-{i}")
        i += 1


def held_out_tasks(transforms: Sequence[str], seed: int, n: int) -> list[Task]:
    stream = generated_tasks(transforms, seed + HELD_OUT_SEED_OFFSET)
    return [next(stream) for _ in range(n)]


def load_folder(directory: str | Path) -> list[Task]:
    """Every task under `directory` (ARC JSON files and JSONL shards, by `dsl.task.is_task_file`); the
    category is the sub-folder unless a shard line names one."""
    directory = Path(directory)
    if not directory.is_dir():
        raise TaskError(f"{directory}: not a directory")
    tasks = [
        task
        for path in task_files(directory)
        for task in load_task_file(path, folder_category(path, directory))
    ]
    if not tasks:
        raise TaskError(f"{directory}: no .json or .jsonl task files")
    return tasks


def random_augmentation(rng: np.random.Generator, cfg: ExampleConfig, n_train: int) -> Augmentation:
    return Augmentation(
        symmetry=int(rng.integers(len(SYMMETRIES))) if cfg.d8_aug else 0,
        colors=int(rng.integers(N_PERMUTATIONS)) if cfg.color_aug else None,
        train_order=tuple(int(i) for i in rng.permutation(n_train)),
    )


def prior_target(task: Task, primitives: Sequence[str], aug: Augmentation | None = None) -> np.ndarray | None:
    """Multi-hot over `primitives` from the task's generating program, None without a usable program.

    A colour permutation (0 kept) changes the program's colour constants, not its primitives, so the
    labels stay; a symmetry conjugates the program (`conjugate_program`), which wraps it in D8
    primitives and `map_colors`: a valid program, but not the one a prior should predict."""
    text = task.meta.get("program")
    if not primitives or not isinstance(text, str):
        return None
    try:
        program = parse_program(text)
        if aug is not None and aug.symmetry:
            program = conjugate_program(program, aug)
    except (ProgramError, ValueError):
        return None
    used = set(primitives_used(program))
    return np.array([name in used for name in primitives], dtype=np.float32)


def program_primitives(task: Task) -> set[str] | None:
    """The primitive names the task's generating program (`task.meta["program"]`) uses; None when it
    has no program that parses."""
    text = task.meta.get("program")
    if not isinstance(text, str):
        return None
    try:
        return set(primitives_used(parse_program(text)))
    except (ProgramError, ValueError):
        return None


def used_primitives(tasks: Sequence[Task]) -> list[str]:
    """The primitive names the tasks' generating programs use, sorted."""
    return sorted(set().union(*(program_primitives(t) or set() for t in tasks)))


def hide_context_cells(enc: Encoded, rng: np.random.Generator, rate: float) -> None:
    """Hide a fraction of train-output cells behind MASK and score them (the unmasked-input loss)."""
    cells = np.nonzero((enc.roles == ROLE_TRAIN_OUTPUT) & (enc.tokens < MASK))[0]
    chosen = cells[rng.random(len(cells)) < rate]
    enc.labels[chosen] = enc.tokens[chosen]
    enc.tokens[chosen] = MASK


def make_example(
    task: Task,
    rng: np.random.Generator,
    cfg: ExampleConfig,
    tok: TokenizerConfig,
    primitives: Sequence[str] = (),
) -> Encoded | None:
    """An augmented, encoded task with its targets; None if it does not fit the token budget."""
    aug = random_augmentation(rng, cfg, len(task.train))
    augmented = apply(task, aug)
    try:
        enc = encode_task(augmented, int(rng.integers(len(task.test))), tok)
    except EncodingError:
        return None
    if not cfg.mask_input_loss:
        hide_context_cells(enc, rng, cfg.context_mask_rate)
    enc.prior_target = prior_target(task, primitives, aug)
    return enc


def eval_example(task: Task, tok: TokenizerConfig, primitives: Sequence[str] = ()) -> Encoded | None:
    """The un-augmented encoding of a held-out task (test input 0)."""
    try:
        enc = encode_task(task, 0, tok)
    except EncodingError:
        return None
    enc.prior_target = prior_target(task, primitives)
    return enc

"""Turn a sampled program into a task draft: draw inputs, run the program, and reject degenerate
results with a named reason so the pipeline can report why tasks were dropped.

A draft carries a few spare pairs beyond the train and test pairs: when the train pairs do not pin the
program down, the pipeline moves spares into train instead of sampling a new task.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dsl.generators.inputs import INPUT_GENERATORS, random_shape
from dsl.generators.programs import ProgramSampler
from dsl.grid import Grid, grid_key
from dsl.interpreter import ExecutionError, execute
from dsl.program import Expr, format_program
from dsl.task import Pair, Task

# Why a draft was rejected, in the order the checks run.
REJECT_REASONS: tuple[str, ...] = (
    "program_failed",
    "output_too_large",
    "identical_inputs",
    "identity",
    "constant_output",
)


@dataclass(frozen=True)
class DraftConfig:
    """Shape of the drafts: sides of the inputs, pair counts, and the largest output allowed."""

    n_train: int = 3
    n_spare: int = 2
    min_side: int = 3
    max_side: int = 12
    max_output_side: int = 30
    generators: tuple[str, ...] = tuple(INPUT_GENERATORS)


@dataclass(frozen=True)
class Draft:
    """A program, the input generator used, and its pairs: train, then test, then spares."""

    program: Expr
    generator: str
    depth: int
    pairs: tuple[Pair, ...]
    n_train: int

    def to_task(self, task_id: str, n_train: int | None = None) -> Task:
        """The task with `n_train` train pairs (taken from the spares when above the default)."""
        k = n_train or self.n_train
        train = self.pairs[: self.n_train] + self.pairs[self.n_train + 1 : k + 1]
        meta = {"program": format_program(self.program), "depth": self.depth, "generator": self.generator}
        return Task(
            id=task_id,
            train=train,
            test=(self.pairs[self.n_train],),
            category=f"depth_{self.depth}",
            meta=meta,
        )

    @property
    def max_train(self) -> int:
        return len(self.pairs) - 1


def make_draft(
    rng: np.random.Generator, sampler: ProgramSampler, depth: int, config: DraftConfig
) -> Draft | str:
    """A draft for a freshly sampled program of `depth`, or the reason (in REJECT_REASONS) it was rejected."""
    program = sampler.sample(rng, depth)
    generator = config.generators[int(rng.integers(len(config.generators)))]
    make_input = INPUT_GENERATORS[generator]
    inputs = [
        make_input(rng, random_shape(rng, config.min_side, config.max_side))
        for _ in range(config.n_train + 1 + config.n_spare)
    ]
    outputs: list[Grid] = []
    for grid in inputs:
        try:
            outputs.append(execute(program, grid))
        except ExecutionError:
            return "program_failed"
    reason = degeneracy(inputs, outputs, config.max_output_side)
    if reason:
        return reason
    pairs = tuple(Pair(i, o) for i, o in zip(inputs, outputs, strict=True))
    return Draft(program, generator, depth, pairs, config.n_train)


def degeneracy(inputs: list[Grid], outputs: list[Grid], max_output_side: int) -> str:
    """The first reason these pairs make a useless task, or '' if they are fine."""
    if any(max(o.shape) > max_output_side for o in outputs):
        return "output_too_large"
    if len({grid_key(g) for g in inputs}) < len(inputs):
        return "identical_inputs"
    if all(i.shape == o.shape and np.array_equal(i, o) for i, o in zip(inputs, outputs, strict=True)):
        return "identity"
    if len({grid_key(o) for o in outputs}) == 1 or all(int(o.min()) == int(o.max()) for o in outputs):
        return "constant_output"
    return ""

"""The `neural` solver: the transduction model's answer, made robust by voting over augmented views.

Each view is the task under one symmetry of the square and one colour permutation (background kept).
The model predicts the view's test output, `invert` maps it back, and identical grids pool their
votes; ties go to the larger summed log-probability. The top two grids are the attempts. A model
that learned a transform in only some orientations still wins the vote when most views agree.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import model
from dsl.augment import D8, Augmentation, apply, invert
from dsl.grid import Grid, grid_key
from dsl.task import Task
from synth.checkpoints import load_for_solver
from synth.solver import MAX_ATTEMPTS, Budget, Solution, SolverUnavailable

CHECKPOINT_ENV = "SYNTH_NEURAL_CHECKPOINT"
DEFAULT_CHECKPOINT = Path(model.__file__).resolve().parent / "checkpoints" / "transduction"
DEFAULT_VIEWS = 16
VIEWS_PER_PASS = 4  # views predicted in one forward pass between deadline checks

# (tasks, test index) -> one (grid, log-probability) per task, or None where the model declines
Predictor = Callable[[list[Task], int], Sequence[tuple[Grid, float] | None]]


@dataclass(frozen=True)
class Candidate:
    grid: Grid
    votes: int
    logprob: float  # summed over the views that voted for this grid


def views(k: int) -> list[Augmentation]:
    """The first k views: the 8 symmetries with original colours, then with permutation 1, 2, ..."""
    return [
        Augmentation(symmetry=i % len(D8), colors=None if i < len(D8) else i // len(D8)) for i in range(k)
    ]


def vote(predictions: Sequence[tuple[Grid, float]]) -> list[Candidate]:
    """Pool identical grids; most votes first, ties by summed log-probability."""
    pooled: dict[bytes, Candidate] = {}
    for grid, logprob in predictions:
        key = grid_key(grid)
        seen = pooled.get(key)
        pooled[key] = (
            Candidate(grid, 1, logprob)
            if seen is None
            else Candidate(seen.grid, seen.votes + 1, seen.logprob + logprob)
        )
    return sorted(pooled.values(), key=lambda c: (-c.votes, -c.logprob))


def model_predictor(checkpoint: str | Path, threads: int | None = None) -> Predictor:
    """Load a transduction checkpoint; SolverUnavailable when it is missing or not a transduction model."""
    from model.predict import predict_grids

    net, _ = load_for_solver(checkpoint, "neural", "transduction", threads)

    def predict(tasks: list[Task], test_index: int) -> list[tuple[Grid, float] | None]:
        return [None if p is None else (p.grid, p.logprob) for p in predict_grids(net, tasks, test_index)]

    return predict


class NeuralSolver:
    name = "neural"

    def __init__(
        self,
        checkpoint: str | Path | None = None,
        views: int = DEFAULT_VIEWS,
        threads: int | None = None,
        predictor: Predictor | None = None,
    ) -> None:
        if views < 1:
            raise SolverUnavailable(f"neural: views must be at least 1, got {views}")
        self.n_views = views
        if predictor is None:
            predictor = model_predictor(
                checkpoint or os.environ.get(CHECKPOINT_ENV) or DEFAULT_CHECKPOINT, threads
            )
        self.predict = predictor

    def solve(self, task: Task, budget: Budget) -> Solution:
        """Vote per test input; inputs reached after the deadline get no attempts."""
        deadline = budget.deadline()
        augs = views(self.n_views)
        augmented = [apply(task, aug) for aug in augs]
        attempts: list[list[Grid]] = []
        votes: list[list[int]] = []
        views_done: list[int] = []
        for i in range(len(task.test)):
            predictions: list[tuple[Grid, float]] = []
            done = 0
            # a chunk at a time: large grids cost seconds per forward pass, and the deadline holds
            while done < len(augs) and time.monotonic() <= deadline:
                chunk = slice(done, done + VIEWS_PER_PASS)
                outputs = self.predict(augmented[chunk], i)
                pairs = zip(augs[chunk], outputs, strict=True)
                predictions += [(invert(p[0], aug), p[1]) for aug, p in pairs if p is not None]
                done = min(done + VIEWS_PER_PASS, len(augs))
            ranked = vote(predictions)
            attempts.append([c.grid for c in ranked[:MAX_ATTEMPTS]])
            votes.append([c.votes for c in ranked[:MAX_ATTEMPTS]])
            views_done.append(done)
        stats = {"views": len(augs), "views_done": views_done, "votes": votes}
        return Solution(attempts=attempts, stats=stats)

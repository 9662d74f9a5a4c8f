"""The `search+prior` solver: the `search` solver with primitive costs scaled by a learned prior.

One forward pass of the prior model per task (train pairs and test inputs, never test outputs) gives
p_i, the probability that primitive i appears in the program. The search is uniform-cost over summed
primitive costs, so multiplying primitive i's cost by about -log p_i (DeepCoder's ordering, as a cost)
makes it expand the programs the prior believes in first. Multipliers are clipped, by default to
[0.5, 1]: the prior promotes what it believes in and makes nothing dearer, so a primitive it doubts or
does not know keeps its `search` cost.

The weighted costs only order the states within each level of the iterative deepening
(`weights_deepen` False, the default): the levels hold exactly the programs `search`'s levels hold,
so a wrong prior costs the forward pass and some reordering, never a level the budget no longer
finishes. With `weights_deepen` the bounds count weighted costs too: a promoted program is reached a
level sooner, which pays on generated tasks, where the prior is on its training distribution, and
lost ARC tasks whose levels it swelled. `deepen_top` k (off by default) is the middle way: the bounds
count the weights of the prior's k likeliest primitives only, so a level swells by their chains
alone.

Optionally (`shortlist_share` > 0; off by default), a shortlist run comes first, DeepCoder's
sort-and-add in two steps: a share of the budget searches only the primitives the prior gives at
least `shortlist_p`, plus every primitive it has no label for (so the inferred-rule primitives it
never saw stay in); the full search then spends the rest, and its programs rank first when it finds
any (it sees every program the shortlist does, and cheaper ones beside). With an oracle prior it
helps (generated dev tasks: 6.2x -> 9.2x fewer nodes than uniform); with the bundled prior, whose
shortlist often misses a needed primitive, it does not (3.6x -> 3.0-3.3x), hence off. Same DSL,
same pruning, same budget as `search`.

`frequency_weights` applies the same mapping to how often each primitive appears in a set of
programs: the task-blind baseline the learned prior has to beat.
"""

from __future__ import annotations

import math
import os
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import model
from dsl.grid import Grid, grids_equal
from dsl.registry import PRIMITIVES
from dsl.task import Task
from model.data import program_primitives
from synth.checkpoints import load_for_solver
from synth.search import COUNTERS, SearchSolver
from synth.search_views import VIEW_PRIMITIVES
from synth.solver import MAX_ATTEMPTS, Budget, Solution, SolverUnavailable

CHECKPOINT_ENV = "SYNTH_PRIOR_CHECKPOINT"
DEFAULT_CHECKPOINT = Path(model.__file__).resolve().parent / "checkpoints" / "prior"


@dataclass(frozen=True)
class Weighting:
    """p -> cost multiplier: -ln(p) / -ln(`neutral_p`), clipped to [`floor`, `ceiling`].

    A primitive at `neutral_p` keeps its cost; likelier ones get cheaper down to `floor`, unlikelier
    ones dearer up to `ceiling`. `neutral_p` 0.01 was chosen on generated dev tasks (generation seed
    12; most primitives lie below 0.01, the ones the prior believes in well above). Floor and ceiling
    were chosen on an `arc1/training` sample, where the prior is off its training distribution and
    knows none of the DSL's inferred-rule primitives: the floor decided it (at 0.1, chains of promoted
    primitives crowded out one-step programs of unknown ones); a ceiling of 1 added one task and means
    the prior never pushes a primitive back. With 0.5 / 1 it only promotes, at most 2x. On generated
    tasks the ceiling barely matters and the higher floor costs node ratio (4.5x -> 3.3x)."""

    neutral_p: float = 0.01
    floor: float = 0.5
    ceiling: float = 1.0

    def __post_init__(self) -> None:
        if not 0 < self.neutral_p < 1 or not 0 < self.floor <= self.ceiling:
            raise ValueError(
                f"weighting needs 0 < neutral_p < 1 and 0 < floor <= ceiling, got {self.neutral_p}, "
                f"{self.floor}, {self.ceiling}"
            )

    def multiplier(self, p: float) -> float:
        p = min(max(p, 1e-9), 1 - 1e-9)
        return min(self.ceiling, max(self.floor, math.log(p) / math.log(self.neutral_p)))

    def weights(self, probabilities: Mapping[str, float]) -> dict[str, float]:
        """Multipliers for the primitives in `probabilities`; the search gives any other primitive 1."""
        return {name: self.multiplier(p) for name, p in probabilities.items()}


def primitive_frequencies(tasks: Iterable[Task]) -> dict[str, float]:
    """The fraction of generating programs (`task.meta["program"]`) that use each primitive, with
    add-one smoothing so a primitive never seen is unlikely, not impossible."""
    counts: Counter[str] = Counter()
    n = 0
    for task in tasks:
        used = program_primitives(task)
        if used is not None:
            counts.update(used)
            n += 1
    return {name: (counts[name] + 1) / (n + 2) for name in sorted(PRIMITIVES)}


def frequency_weights(
    frequencies: Mapping[str, float], weighting: Weighting | None = None
) -> dict[str, float]:
    return (weighting or Weighting()).weights(frequencies)


class PriorModel:
    """A loaded prior checkpoint: task -> primitive probabilities (one forward pass)."""

    def __init__(self, checkpoint: str | Path, threads: int | None = None) -> None:
        path = Path(checkpoint)
        self.model, _ = load_for_solver(path, "search+prior", "prior", threads)
        if not self.model.cfg.primitives:
            raise SolverUnavailable(f"search+prior: {path} holds a prior model with no primitive labels")
        self.path = path

    @property
    def labels(self) -> tuple[str, ...]:
        return self.model.cfg.primitives

    def probabilities(self, task: Task) -> dict[str, float] | None:
        from model.prior import primitive_probabilities

        return primitive_probabilities(self.model, task)


class PriorSearchSolver:
    """`search` ordered by the prior. Options other than the ones below go to `search` unchanged."""

    name = "search+prior"
    shortlist_p = 0.05  # defaults of the shortlist run (see the module docstring): off
    shortlist_share = 0.0
    weights_deepen = False  # the weights order each deepening level, never enlarge it (module docstring)
    deepen_top = 0  # without weights_deepen: the bounds count the weights of the prior's top k primitives

    def __init__(
        self,
        checkpoint: str | None = None,
        threads: int | None = None,
        neutral_p: float = Weighting.neutral_p,
        floor: float = Weighting.floor,
        ceiling: float = Weighting.ceiling,
        shortlist_p: float = shortlist_p,
        shortlist_share: float = shortlist_share,
        weights_deepen: bool = weights_deepen,
        deepen_top: int = deepen_top,
        prior: PriorModel | None = None,
        **search_options: Any,
    ) -> None:
        if "weights" in search_options:
            raise SolverUnavailable(
                "search+prior: weights come from the prior; use the search solver instead"
            )
        try:
            self.weighting = Weighting(neutral_p, floor, ceiling)
        except ValueError as e:
            raise SolverUnavailable(f"search+prior: {e}") from None
        if not 0 <= shortlist_share < 1 or not 0 < shortlist_p <= 1:
            raise SolverUnavailable(
                f"search+prior: needs 0 <= shortlist_share < 1 and 0 < shortlist_p <= 1, got "
                f"{shortlist_share}, {shortlist_p}"
            )
        if deepen_top < 0:
            raise SolverUnavailable(f"search+prior: deepen_top counts primitives, got {deepen_top}")
        self.shortlist_p = shortlist_p
        self.shortlist_share = shortlist_share
        self.deepen_top = deepen_top
        self.prior = prior or PriorModel(
            checkpoint or os.environ.get(CHECKPOINT_ENV) or DEFAULT_CHECKPOINT, threads
        )
        self.search_options = {**search_options, "weights_deepen": weights_deepen}
        SearchSolver(**self.search_options)  # a misspelt search option fails here, not on the first task

    def weights(self, task: Task) -> tuple[dict[str, float], dict[str, float] | None]:
        """(cost multipliers, probabilities); neutral weights when the task is too long for the model."""
        probabilities = self.prior.probabilities(task)
        return ({} if probabilities is None else self.weighting.weights(probabilities)), probabilities

    def bound_weights(
        self, weights: Mapping[str, float], probabilities: Mapping[str, float] | None
    ) -> dict[str, float] | None:
        """The weights of the `deepen_top` likeliest primitives, for the deepening bounds (None: none)."""
        if not self.deepen_top or probabilities is None:
            return None
        top = sorted(
            (name for name in probabilities if name not in VIEW_PRIMITIVES), key=lambda n: -probabilities[n]
        )[: self.deepen_top]
        return {name: weights[name] for name in top if name in weights}

    def shortlist(self, probabilities: Mapping[str, float] | None) -> tuple[str, ...] | None:
        """The primitives the shortlist run searches: those the prior gives at least `shortlist_p`
        and those it has no label for. None when there is nothing to leave out."""
        if probabilities is None or self.shortlist_share == 0:
            return None
        names = tuple(
            name
            for name in PRIMITIVES
            if name not in VIEW_PRIMITIVES and probabilities.get(name, 1.0) >= self.shortlist_p
        )
        return names if any(p < self.shortlist_p for p in probabilities.values()) else None

    def solve(self, task: Task, budget: Budget) -> Solution:
        start = time.monotonic()
        weights, probabilities = self.weights(task)
        prior_seconds = time.monotonic() - start
        left = Budget(seconds=max(0.0, budget.seconds - prior_seconds), nodes=budget.nodes)
        shortlist = self.shortlist(probabilities)
        runs = []
        if shortlist is not None:
            share = Budget(
                seconds=left.seconds * self.shortlist_share,
                nodes=None if left.nodes is None else max(1, int(left.nodes * self.shortlist_share)),
            )
            search = SearchSolver(weights=weights, primitives=shortlist, **self.search_options)
            runs.append(search.solve(task, share))
            spent = runs[0].stats["seconds"]
            left = Budget(
                seconds=max(0.0, left.seconds - spent),
                nodes=None if left.nodes is None else max(1, left.nodes - runs[0].stats["nodes_expanded"]),
            )
        search = SearchSolver(
            weights=weights, bound_weights=self.bound_weights(weights, probabilities), **self.search_options
        )
        runs.append(search.solve(task, left))
        solution = _ladder(runs)
        top = sorted((probabilities or {}).items(), key=lambda kv: -kv[1])[:5]
        solution.stats.update(
            prior_seconds=round(prior_seconds, 4),
            prior_applied=probabilities is not None,
            prior_top=[[name, round(p, 3)] for name, p in top],
            shortlist=len(shortlist) if shortlist is not None else None,
            weights_deepen=self.search_options["weights_deepen"],
        )
        return solution


def _ladder(runs: list[Solution]) -> Solution:
    """One solution from the shortlist run and the full search after it.

    The full search's programs rank first when it found a train-consistent one (it saw every program
    the shortlist did and cheaper ones beside), else the shortlist's do. Counters add up, and the first
    train-consistent program is counted from the start of the ladder (nodes and seconds of the runs
    before it included), as the prior-vs-uniform benchmark reads it."""
    full = runs[-1]
    if len(runs) == 1:
        return full
    short = runs[0]
    order = [full, short] if full.stats.get("first_solution_node") is not None else [short, full]
    attempts: list[list[Grid]] = [[] for _ in full.attempts]
    for run in order:
        for kept, grids in zip(attempts, run.attempts, strict=True):
            for grid in grids:
                if len(kept) < MAX_ATTEMPTS and not any(grids_equal(grid, k) for k in kept):
                    kept.append(grid)
    programs = list(dict.fromkeys(order[0].programs + order[1].programs))
    stats = dict(full.stats)
    for name in (*COUNTERS, "seconds"):
        stats[name] = short.stats[name] + full.stats[name]
    if short.stats.get("first_solution_node") is None and full.stats.get("first_solution_node") is not None:
        stats["first_solution_node"] = short.stats["nodes_expanded"] + full.stats["first_solution_node"]
        stats["first_solution_seconds"] = short.stats["seconds"] + full.stats["first_solution_seconds"]
    elif short.stats.get("first_solution_node") is not None:
        stats["first_solution_node"] = short.stats["first_solution_node"]
        stats["first_solution_seconds"] = short.stats["first_solution_seconds"]
    stats["shortlist_found"] = short.stats.get("first_solution_node") is not None
    return Solution(attempts=attempts, programs=programs, stats=stats)

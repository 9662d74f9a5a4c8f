"""The one interface every solver implements, and the registry the CLI and the bench read.

A solver gets a task and a budget and returns up to two attempts per test input (ARC's pass@2),
the programs behind them when it has any, and free-form stats. Solvers never see test outputs:
`solve` receives a copy of the task with them stripped.
"""

from __future__ import annotations

import importlib
import inspect
import time
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from dsl.grid import Grid
from dsl.task import Pair, Task

MAX_ATTEMPTS = 2


@dataclass(frozen=True)
class Budget:
    """Wall-clock seconds, and optionally a node count that makes a run deterministic."""

    seconds: float = 10.0
    nodes: int | None = None

    def deadline(self) -> float:
        return time.monotonic() + self.seconds


@dataclass
class Solution:
    """attempts[i] holds up to two grids for test input i; programs are best first."""

    attempts: list[list[Grid]]
    programs: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)


class Solver(Protocol):
    name: str

    def solve(self, task: Task, budget: Budget) -> Solution: ...


class SolverUnavailable(RuntimeError):
    """A solver that cannot run here (not built yet, missing checkpoint, no endpoint configured)."""


# name -> "module:factory"; factories take keyword options and return a Solver. Imported lazily so
# `synth solve --solver search` never imports torch.
SOLVERS: dict[str, str] = {
    "search": "synth.search:SearchSolver",
    "search+prior": "synth.prior:PriorSearchSolver",
    "neural": "synth.neural:NeuralSolver",
    "coder": "synth.coder:CoderSolver",
    "ensemble": "synth.ensemble:EnsembleSolver",
}


def available_solvers() -> list[str]:
    return list(SOLVERS)


def make_solver(name: str, **options: Any) -> Solver:
    """Build a solver by name; unknown or unbuilt solvers raise SolverUnavailable with the reason."""
    target = SOLVERS.get(name)
    if target is None:
        known = ", ".join(SOLVERS)
        raise SolverUnavailable(f"unknown solver {name!r} (available: {known})")
    return build_solver(name, target, **options)


def build_solver(name: str, spec: str, **options: Any) -> Solver:
    """Import a "module:Factory" spec and call it with the options, which are checked against the
    factory's signature first so a misspelt option is a clear error, not a traceback."""
    module_name, factory_name = spec.split(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:  # not written yet, or a dependency missing
        raise SolverUnavailable(f"solver {name!r} cannot be loaded ({e})") from e
    factory = getattr(module, factory_name)
    try:
        inspect.signature(factory).bind(**options)
    except TypeError as e:
        raise SolverUnavailable(f"solver {name!r} does not take these options ({e})") from None
    try:
        return factory(**options)
    except TypeError as e:
        if not options:
            raise
        raise SolverUnavailable(f"solver {name!r} does not take these options ({e})") from None


def hide_test_outputs(task: Task) -> Task:
    """The task as a solver may see it."""
    return replace(task, test=tuple(Pair(p.input, None) for p in task.test))


def run_solver(solver: Solver, task: Task, budget: Budget) -> tuple[Solution, float]:
    """Solve with test outputs hidden; returns the solution (attempts capped at 2) and seconds taken."""
    start = time.monotonic()
    solution = solver.solve(hide_test_outputs(task), budget)
    seconds = time.monotonic() - start
    solution.attempts = [list(a[:MAX_ATTEMPTS]) for a in solution.attempts]
    while len(solution.attempts) < len(task.test):
        solution.attempts.append([])
    return solution, seconds

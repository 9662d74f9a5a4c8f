"""Stand-in solvers for the bench tests, registered in `synth.solver.SOLVERS` as "bench_solvers:NAME":
pytest puts tests/ on sys.path and the bench passes its sys.path to workers, so they import by spec.

`Flip` is a tiny honest solver: it tries a few whole-grid transforms, keeps those consistent with
every train pair, and answers with them. The others misbehave on purpose.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable

import numpy as np

from dsl.task import Task
from synth.solver import Budget, Solution

TRANSFORMS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "identity": lambda g: g,
    "flip_vertical": np.flipud,
    "flip_horizontal": np.fliplr,
    "rotate_90": lambda g: np.rot90(g, -1),
    "transpose": lambda g: g.T,
}


class Flip:
    name = "flip"

    def solve(self, task: Task, budget: Budget) -> Solution:
        fits = [
            name
            for name, f in TRANSFORMS.items()
            if all(np.array_equal(f(p.input), p.output) for p in task.train)
        ]
        attempts = [[np.ascontiguousarray(TRANSFORMS[n](p.input)) for n in fits[:2]] for p in task.test]
        return Solution(
            attempts=attempts, programs=[f"{n}(I)" for n in fits], stats={"train_consistent": bool(fits)}
        )


class ForkingFlip(Flip):
    """Flip after a forked child has held 300 MB, as an ensemble member might."""

    name = "forking_flip"

    def solve(self, task: Task, budget: Budget) -> Solution:
        pid = os.fork()
        if pid == 0:
            np.ones(300 << 20, dtype=np.uint8)  # touched pages: resident
            os._exit(0)
        os.waitpid(pid, 0)
        return super().solve(task, budget)


class Identity:
    """Always answers the test input itself: right shape for shape-preserving tasks, rarely right."""

    name = "identity"

    def __init__(self, fill: int | None = None) -> None:
        self.fill = fill  # an option: answer with the input painted in this colour instead

    def solve(self, task: Task, budget: Budget) -> Solution:
        if self.fill is None:
            return Solution(attempts=[[p.input] for p in task.test])
        return Solution(attempts=[[p.input * 0 + self.fill] for p in task.test])


class Slow(Flip):
    """Flip after a pause: gives a kill -9 test time to land mid-run."""

    name = "slow"

    def solve(self, task: Task, budget: Budget) -> Solution:
        time.sleep(float(os.environ.get("BENCH_TEST_SLOW_SECONDS", "0.6")))
        return super().solve(task, budget)


class Crash:
    name = "crash"

    def solve(self, task: Task, budget: Budget) -> Solution:
        raise RuntimeError("stand-in solver crashed on purpose")


class Segfault:
    """Dies by a signal the worker cannot catch."""

    name = "segfault"

    def solve(self, task: Task, budget: Budget) -> Solution:
        os.kill(os.getpid(), signal.SIGSEGV)
        raise AssertionError("unreachable")


class Hang:
    name = "hang"

    def solve(self, task: Task, budget: Budget) -> Solution:
        while True:
            time.sleep(0.05)


class MemoryHog:
    """Asks for 8 GB, far over the test's address-space limit."""

    name = "memory_hog"

    def solve(self, task: Task, budget: Budget) -> Solution:
        blocks = [np.ones(1 << 30, dtype=np.uint8) for _ in range(8)]
        return Solution(attempts=[[b[:1].reshape(1, 1)] for b in blocks[:1]])

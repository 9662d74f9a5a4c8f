"""Each job runs in its own worker process with the budget enforced from outside: crashes, hangs,
signals and memory exhaustion become `error`/`timeout` outcomes, never a dead bench."""

from __future__ import annotations

import sys
import time

import pytest

from dsl.grid import make_grid
from dsl.task import Pair, Task
from synth.bench.isolation import WorkerPool
from synth.bench.jobs import Job, make_job

TASK = Task(
    id="t",
    train=(Pair(make_grid([[1, 2]]), make_grid([[2, 1]])),),
    test=(Pair(make_grid([[3, 4]]), make_grid([[4, 3]])),),
)


def job_for(cls: str, budget: float = 1.0, grace: float = 1.0, memory_mb: int = 1024) -> Job:
    return make_job(
        TASK, cls.lower(), f"bench_solvers:{cls}", budget_seconds=budget, budget_nodes=None,
        timeout=budget + grace, memory_mb=memory_mb, sys_path=tuple(sys.path),
    )  # fmt: skip


def test_a_job_never_sees_test_outputs() -> None:
    job = job_for("Flip")
    assert all("output" not in pair for pair in job.task["test"])
    assert job.task["train"][0]["output"] == [[2, 1]]


def test_a_working_solver_returns_its_attempts_and_programs() -> None:
    outcome = WorkerPool().run(job_for("Flip"))
    assert outcome.status == "ok", outcome.error
    assert outcome.attempts == [[[[4, 3]]]]
    assert outcome.programs == ["flip_horizontal(I)"]


def test_a_hanging_solver_is_killed_at_budget_plus_grace() -> None:
    start = time.monotonic()
    outcome = WorkerPool().run(job_for("Hang", budget=0.5, grace=1.0))
    elapsed = time.monotonic() - start
    assert outcome.status == "timeout"
    assert "killed after 1.5 s" in outcome.error
    assert 1.5 <= elapsed < 4.0


@pytest.mark.parametrize(
    ("cls", "message"),
    [
        ("Crash", "RuntimeError: stand-in solver crashed on purpose"),
        ("Segfault", "worker killed by SIGSEGV"),
        ("MemoryHog", "out of memory: over the worker's 1024 MB address-space limit"),
    ],
)
def test_a_failing_solver_becomes_an_error_outcome(cls: str, message: str) -> None:
    outcome = WorkerPool().run(job_for(cls))
    assert outcome.status == "error"
    assert message in outcome.error


def test_the_subprocess_fallback_runs_and_kills_workers_too() -> None:
    pool = WorkerPool()
    pool.context = None  # as in a daemonic process (a Dask worker), which may not fork children
    assert pool.run(job_for("Flip")).attempts == [[[[4, 3]]]]
    hung = pool.run(job_for("Hang", budget=0.5, grace=1.0))
    assert hung.status == "timeout"
